"""`python -m translator` is the `alignproof` command."""
from .cli import main

raise SystemExit(main())
