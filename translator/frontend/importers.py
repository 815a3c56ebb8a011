"""Stage 1, before loading: the files named, and every spec of their projects that imports one.

A pre-commit hook is given only the changed files. A changed file that holds
no claim (a library of axioms) changes the verdicts of the specs that import
it, so `check --importers` hands the loader the files named and every `.align`
file of the same project (`loader.project_root`) that imports one of them,
directly or through other imports. Hidden directories (`.git`, `.venv`, ...)
are not searched. The files are read with the loader itself, so what counts
as an import is exactly what checking reads.
"""
from __future__ import annotations

import os

from .loader import SUFFIX, find_specs, load, project_root


def with_importers(paths: list[str], allow_outside: bool = False, import_roots: tuple[str, ...] = ()) -> list[str]:
    """`paths`, then every spec of their projects that imports a file they name, in path order."""
    named, _ = find_specs(paths)
    changed = {os.path.realpath(f) for f in named}
    if not changed:
        return paths
    projects = dict.fromkeys(project_root(f) for f in named)
    candidates = [f for project in projects for f in _specs_under(project)
                  if os.path.realpath(f) not in changed]
    if not candidates:
        return paths
    loaded = load(candidates, allow_outside, import_roots)
    importers = [root.path for root in loaded.roots
                 if any(os.path.realpath(m.path) in changed for m in root.modules)]
    return list(paths) + sorted(dict.fromkeys(importers))


def _specs_under(folder: str) -> list[str]:
    found = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(here, n) for n in sorted(names) if n.endswith(SUFFIX)]
    return found
