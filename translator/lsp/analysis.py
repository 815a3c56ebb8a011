"""The language server's front end: one document, with the editor's unsaved texts, to an `Analysis`.

It runs what `check` runs before the solver (the loader, with the open
documents as an overlay so that an import of an unsaved buffer reads the
buffer, and the type checker) and keeps what an editor asks about later: every
file read and its syntax tree, the program's files in order, the
diagnostics, and the typed program when there is no error. It hands the
`Analysis` on to `index` (names), the protocol side (diagnostics) and
`verdicts` (the check on save). Nothing here knows the protocol.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..frontend import syntax as S
from ..frontend.diagnostics import Diagnostic, sort_key
from ..frontend.source import SourceFile
from ..logic.core import Program


@dataclass(frozen=True)
class Analysis:
    """What the front end made of one root document."""

    path: str                               # the root, as loaded (an absolute path or a URI's text)
    modules: Mapping[str, S.Module]         # every file read, by path as loaded
    order: tuple[str, ...]                  # the program's files: imports first, the root last
    sources: Mapping[str, SourceFile]
    diagnostics: tuple[Diagnostic, ...]
    program: Program | None                 # None when any diagnostic stopped the type checker

    @property
    def module(self) -> S.Module | None:
        """The root document's syntax tree (None when it could not be read)."""
        return self.modules.get(self.path)

    @property
    def reads(self) -> frozenset[str]:
        """The real paths of every file this analysis read: a change to one makes it stale."""
        return frozenset(real(p) for p in self.sources)

    def same_file(self, path: str) -> bool:
        return real(path) == real(self.path)

    def shown(self, path: str) -> str:
        """`path` as the root document's folder sees it (relative, with `/`)."""
        try:
            return os.path.relpath(path, os.path.dirname(self.path) or os.curdir).replace(os.sep, "/")
        except ValueError:  # another drive
            return path


def real(path: str) -> str:
    """`path` resolved through symbolic links; as written when it cannot be (a NUL character in an import)."""
    try:
        return os.path.realpath(path)
    except (ValueError, OSError):
        return path


def import_target(importer: str, decl: S.Import) -> str:
    """The path an import in file `importer` names, as the loader reads it."""
    return os.path.normpath(os.path.join(os.path.dirname(importer), decl.path))


def analyse(path: str, texts: Mapping[str, str], allow_outside: bool = False) -> Analysis:
    """Load `path` (reading `texts` instead of the files they name), parse and type check its program."""
    from ..frontend.loader import load
    from ..frontend.typecheck import check_program
    loaded = load([path], allow_outside, (), texts)
    diags = list(loaded.diagnostics)
    program = None
    for loaded_root in loaded.roots:
        program, found = check_program(loaded_root.modules, loaded.modules)
        diags += found
    unique = tuple(sorted(dict.fromkeys(diags), key=sort_key))
    root = os.path.normpath(path)
    return Analysis(root, dict(loaded.modules), _order(root, loaded.modules), dict(loaded.sources), unique,
                    program if not unique else None)


def _order(root: str, modules: Mapping[str, S.Module]) -> tuple[str, ...]:
    """The files of `root`'s program that were read, imports first (depth first, each once), root last."""
    order: list[str] = []
    entered: set[str] = set()
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        path, expanded = stack.pop()
        if expanded:
            order.append(path)
            continue
        module = modules.get(path)
        key = real(path)
        if module is None or key in entered:  # unread, or seen (a diamond, or a cycle the loader reported)
            continue
        entered.add(key)
        stack.append((path, True))
        targets = [import_target(path, d) for d in module.decls if isinstance(d, S.Import)]
        stack.extend((t, False) for t in reversed(targets))
    return tuple(order)
