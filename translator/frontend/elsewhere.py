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
from functools import lru_cache

from . import syntax
from .convert import import_path
from .lexer import DECL_KEYWORDS, tokenize
from .loader import is_inside, project_root
from .source import SourceFile

_READ_LIMIT = 1 << 20     # a file larger than this is not read for a hint
_FILES_LIMIT = 200        # files read for hints, at most
# statements and readings are not names
_DECLARES_NAME = DECL_KEYWORDS - {"IMPORT", "AXIOM", "CLAIM", "EXAMPLE", "LEMMA", "READING"}


class Elsewhere:
    """The files outside a program that declare each name, found lazily and once."""

    def __init__(self, program: Iterable[str], others: Mapping[str, syntax.Module]):
        self.program = list(program)
        self._inside = {os.path.realpath(path) for path in self.program}
        self._others = others
        self._index: dict[str, str] | None = None
        self._imports: dict[str, list[str]] = {}  # real path -> the real paths it imports

    def help(self, name: str, using: str) -> str | None:
        """The hint for `name` used in file `using`, when some file outside the program declares it."""
        if self._index is None:
            self._index = self._build()
        found = self._index.get(name)
        if found is None:
            return None
        if self._reaches(found, using):
            return (f"'{name}' is declared in {_shown(found)}, which imports this file (so this file cannot "
                    "import it): move the declaration here, or into a file both import")
        target = os.path.relpath(found, os.path.dirname(using) or os.curdir).replace(os.sep, "/")
        return (f"'{name}' is declared in {_shown(found)}, which this file does not import; "
                f'add `import "{target}"`')

    def _build(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for path, module in sorted(self._others.items()):
            written = [decl.path for decl in module.decls if isinstance(decl, syntax.Import)]
            self._imports[os.path.realpath(path)] = [os.path.realpath(t) for t in _targets(path, written)]
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
            targets = [t for t in _targets(path, imports) if is_inside(t, projects) and os.path.isfile(t)]
            self._imports[os.path.realpath(path)] = [os.path.realpath(t) for t in targets]
            for target in targets:
                if os.path.realpath(target) not in seen:
                    seen.add(os.path.realpath(target))
                    queue.append(target)
        return index

    def _reaches(self, start: str, goal: str) -> bool:
        """Whether file `start` imports file `goal`, directly or not (as far as the files read tell)."""
        goal, todo, done = os.path.realpath(goal), [os.path.realpath(start)], set()
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in done:
                done.add(node)
                todo += self._imports.get(node, [])
        return False


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


def _targets(path: str, written: Iterable[str]) -> list[str]:
    """The files the imports `written` in `path` name (absolute imports left out: the loader refuses them)."""
    folder = os.path.dirname(path)
    return [os.path.normpath(os.path.join(folder, w)) for w in written if not os.path.isabs(w) and "\0" not in w]


def _lexed(path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a file declares and the paths it imports, from its tokens alone."""
    try:
        status = os.stat(path)
    except OSError:
        return (), ()
    if status.st_size > _READ_LIMIT:
        return (), ()
    return _lexed_once(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=1024)
def _lexed_once(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`_lexed` for one version of a file (a directory of programs asks about the same files again)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return (), ()
    tokens = tokenize(SourceFile(path, text)).tokens
    names: list[str] = []
    imports: list[str] = []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type in _DECLARES_NAME and following.type == "NAME":
            names.append(following.value)
        elif token.type == "IMPORT" and following.type == "STRING":
            imports.append(import_path(following.value))
        elif token.type == "_LBRACE" and index >= 3 and tokens[index - 3].type == "SORT":
            names += _elements(tokens, index + 1)
    return tuple(names), tuple(imports)


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
