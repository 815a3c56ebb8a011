"""alignproof's Python API, under the name it is installed by: `import alignproof`.

`alignproof.check(paths_or_text) -> Run`, `check_text`, `audit`, `explore`, `matrix`,
`suggest`, `report`, and the
records they hand back, re-exported from `translator/api.py` (the package
keeps its import name `translator`, whose `translator.check` is the checker's
subpackage, so the API lives here). `%load_ext alignproof` in IPython adds
the `%%align` cell magic (`translator/magic.py`). docs/api.md is the user's
reference.
"""
from __future__ import annotations

from typing import Any

from translator import __version__
from translator.api import (
    Limits,
    Options,
    Result,
    Run,
    Verdict,
    audit,
    check,
    check_text,
    explore,
    matrix,
    report,
    suggest,
)

__all__ = ["Limits", "Options", "Result", "Run", "Verdict", "__version__", "audit", "check", "check_text", "explore",
           "load_ipython_extension", "matrix", "report", "suggest"]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext alignproof`: register the `%%align` cell magic."""
    from translator.magic import register
    register(ipython)
