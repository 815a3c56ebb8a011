"""The premises examined: analyses of a checked program that ask the checker about sets of its
axioms (LANGUAGE.md §6), one module per job."""
