"""Stage 2, for the type checker's hints: where else a name that is not in scope is declared.

When a program uses a name none of its files declares, the name is often
declared in a file it forgot to import. `Elsewhere` looks, in this order, in
the other files the loader read (parsed modules handed in), then in the
`.align` files of the directories the program's files live in and in the
files those import, as the loader would find them (lexed only, read only on
the first such error, at most `_FILES_LIMIT` files, never outside the
project of `loader.project_root` nor through a symbolic link that leaves a
directory). It answers with the help line that names the file and the
`import` to add. It never changes what the program means.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from . import syntax
from .convert import import_path
from .lexer import DECL_KEYWORDS, tokenize
from .loader import is_inside, project_root
from .source import SourceFile

_READ_LIMIT = 1 << 20     # a file larger than this is not read for a hint
_FILES_LIMIT = 200        # files read for hints, at most
_DECLARES_NAME = DECL_KEYWORDS - {"IMPORT", "AXIOM", "CLAIM", "EXAMPLE"}  # statements are not names


class Elsewhere:
    """The files outside a program that declare each name, found lazily and once."""

    def __init__(self, program: Iterable[str], others: Mapping[str, syntax.Module]):
        self.program = [path for path in program]
        self._inside = {os.path.realpath(path) for path in self.program}
        self._others = others
        self._index: dict[str, str] | None = None

    def help(self, name: str, using: str) -> str | None:
        """The hint for `name` used in file `using`, when some file outside the program declares it."""
        if self._index is None:
            self._index = self._build()
        found = self._index.get(name)
        if found is None:
            return None
        target = os.path.relpath(found, os.path.dirname(using) or os.curdir).replace(os.sep, "/")
        return (f"'{name}' is declared in {_shown(found)}, which this file does not import; "
                f'add `import "{target}"`')

    def _build(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for path, module in sorted(self._others.items()):
            if os.path.realpath(path) not in self._inside:
                for name in declared_names(module):
                    index.setdefault(name, path)
        seen = set(self._inside) | {os.path.realpath(path) for path in self._others}
        projects = tuple(dict.fromkeys(project_root(path) for path in self.program))
        folders = dict.fromkeys(os.path.dirname(path) or os.curdir for path in reversed(self.program))
        queue = [path for folder in folders for path in _neighbours(folder, seen)]
        read = 0
        while queue and read < _FILES_LIMIT:
            path = queue.pop(0)
            read += 1
            names, imports = _lexed(path)
            for name in names:
                index.setdefault(name, path)
            queue += [target for target in _resolve(path, imports, projects, seen)]
        return index


def declared_names(module: syntax.Module) -> list[str]:
    """The global names a parsed module declares (sorts, their elements, symbols, defs)."""
    names: list[str] = []
    for decl in module.decls:
        if isinstance(decl, syntax.SortDecl):
            names += [decl.name, *(decl.elements or ())]
        elif isinstance(decl, (syntax.SymbolDecl, syntax.DefDecl)):
            names.append(decl.name)
    return names


def _neighbours(folder: str, seen: set[str]) -> list[str]:
    """The `.align` files of `folder` not yet looked at, sorted; none reached through a link that leaves it."""
    real_folder = os.path.realpath(folder)
    try:
        names = sorted(entry for entry in os.listdir(folder) if entry.endswith(".align"))
    except OSError:
        return []
    found = []
    for entry in names[:_FILES_LIMIT]:
        path = os.path.join(folder, entry)
        real = os.path.realpath(path)
        if real in seen or os.path.dirname(real) != real_folder or not os.path.isfile(real):
            continue
        seen.add(real)
        found.append(os.path.normpath(path))
    return found


def _resolve(path: str, imports: list[str], projects: tuple[str, ...], seen: set[str]) -> list[str]:
    """The imports of `path` as files inside the projects, not yet looked at."""
    found = []
    for written in imports:
        target = os.path.normpath(os.path.join(os.path.dirname(path), written))
        real = os.path.realpath(target)
        if os.path.isabs(written) or real in seen or not is_inside(target, projects) or not os.path.isfile(real):
            continue
        seen.add(real)
        found.append(target)
    return found


def _lexed(path: str) -> tuple[list[str], list[str]]:
    """The names a file declares and the paths it imports, from its tokens alone."""
    try:
        if os.path.getsize(path) > _READ_LIMIT:
            return [], []
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return [], []
    tokens = tokenize(SourceFile(path, text)).tokens
    names, imports = [], []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type in _DECLARES_NAME and following.type == "NAME":
            names.append(following.value)
        elif token.type == "IMPORT" and following.type == "STRING":
            imports.append(import_path(following.value))
        elif token.type == "_LBRACE" and index >= 3 and tokens[index - 3].type == "SORT":
            names += _elements(tokens, index + 1)
    return names, imports


def _elements(tokens: list, start: int) -> list[str]:
    """The element names of `sort S = {a, b}` from the token after '{'."""
    names = []
    for token in tokens[start:]:
        if token.type == "NAME":
            names.append(token.value)
        elif token.type != "_COMMA":
            break
    return names


def _shown(path: str) -> str:
    """`path` as a user reads it: relative to the working directory when it lies there."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")
