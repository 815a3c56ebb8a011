"""Stage 0: find the spec files and read them with their imports.

Each file named on the command line (or found under a named directory) is a
root. A root's program is the root file plus everything it imports,
transitively, in dependency order (imports first), each file once even when
imported along several paths; a cycle is an error naming the chain.

Imports are confined to the project of what the command line named
(`project_root`): for each path given, the nearest directory at or above it
that holds `.git` or `pyproject.toml`; failing that, the working directory
when the path lies in it; failing that, the path's own directory. Paths are
compared resolved through symbolic links. So `import "../lib/base.align"` from
`spec/` is fine in a repository, while an absolute import path, a `..` that
climbs out of the project, or a symbolic link that leads out is refused
before the file is opened: a refused import never shows anything of the file
it named. A `.align` file found by searching a directory is confined the same
way. `allow_outside` lifts the confinement (`--allow-import-outside`).
Given `texts`, the loader reads those paths from them instead of the disk
(the language server's open documents); the command line gives none.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import diagnostics as codes
from . import syntax as S
from .diagnostics import Diagnostic
from .parser import MAX_FILE_BYTES, parse_source
from .source import SourceFile, Span

SUFFIX = ".align"


@dataclass(frozen=True)
class Root:
    """One root file and the modules of its program, imports first, the root last."""

    path: str
    modules: tuple[S.Module, ...]


@dataclass
class Loaded:
    roots: list[Root] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    modules: dict[str, S.Module] = field(default_factory=dict)  # every file read, by path: for `typecheck`'s hints
    files: list[str] = field(default_factory=list)  # every root file found, whether or not it could be read


ALLOW_HELP = "pass --allow-import-outside to allow it"
PROJECT_MARKERS = (".git", "pyproject.toml")
PROJECT_HELP = ("imports stay in the project: the nearest directory above the files checked that holds "
                f"{' or '.join(PROJECT_MARKERS)}, else the working directory; {ALLOW_HELP}")


def project_root(path: str) -> str:
    """The real directory of the project `path` belongs to (see the module's docstring)."""
    start = os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path) or os.curdir)
    folder = start
    while True:
        if any(os.path.lexists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    here = os.path.realpath(os.curdir)
    return here if _within(start, here) else start


def allowed_roots(paths: list[str]) -> tuple[str, ...]:
    """The real directories that imports may reach: the project of each path."""
    return tuple(dict.fromkeys(project_root(path) for path in paths))


def _within(real: str, root: str) -> bool:
    return os.path.commonpath([real, root]) == root


def is_inside(path: str, roots: tuple[str, ...]) -> bool:
    """Whether `path`, resolved through symbolic links, lies in the tree of one of `roots`."""
    real = os.path.realpath(path)
    return any(_within(real, root) for root in roots)


def find_specs(paths: list[str], roots: tuple[str, ...] | None = None) -> tuple[list[str], list[Diagnostic]]:
    """The `.align` files named by `paths` (directories searched recursively, sorted).

    With `roots`, a file found in a directory that resolves (through a symbolic
    link) outside every root is refused; a file named outright is always taken.
    """
    found: list[str] = []
    diags: list[Diagnostic] = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(
                os.path.join(folder, name)
                for folder, _dirs, names in os.walk(path)
                for name in names if name.endswith(SUFFIX)
            )
            for link in [p for p in inside if roots is not None and not is_inside(p, roots)]:
                inside.remove(link)
                diags.append(Diagnostic(codes.IMPORT_OUTSIDE, f"{link} is a symbolic link that leads "
                                        "outside the project; not read", path=link, help=ALLOW_HELP))
            if not inside:
                diags.append(Diagnostic(codes.NO_SPECS, f"no {SUFFIX} files under {path}", path=path,
                                        help=f"spec files end in {SUFFIX}"))
            found += inside
        elif os.path.isfile(path):
            found.append(path)
        elif os.path.exists(path):  # a device, a pipe, a socket: nothing the run cache could read again
            diags.append(Diagnostic(codes.FILE_NOT_FOUND, f"not a file or a directory: {path}", path=path,
                                    help=f"give spec files ({SUFFIX}) or directories of them"))
        else:
            diags.append(Diagnostic(codes.FILE_NOT_FOUND, f"no such file or directory: {path}", path=path))
    unique = list(dict.fromkeys(os.path.normpath(p) for p in found))
    return unique, diags


class Loader:
    """Reads and parses files once each, and assembles each root's program.

    `texts` (by real path) stand in for files on disk: an editor's unsaved buffers. A path given
    there is read from it, exists whether or not it is on disk, and is confined like any other.
    """

    def __init__(self, allow_outside: bool = False, roots: tuple[str, ...] = (),
                 texts: Mapping[str, str] | None = None) -> None:
        self.loaded = Loaded()
        self.allow_outside = allow_outside
        self.roots = roots
        self._modules: dict[str, S.Module | None] = {}
        self._texts = {os.path.realpath(path): text for path, text in (texts or {}).items()}

    def load(self, paths: list[str]) -> Loaded:
        self.roots = self.roots + allowed_roots(paths)
        given = [os.path.normpath(p) for p in paths if os.path.realpath(p) in self._texts]
        files, diags = find_specs([p for p in paths if os.path.realpath(p) not in self._texts],
                                  None if self.allow_outside else self.roots)
        files = list(dict.fromkeys(given + files))
        self.loaded.diagnostics += diags
        self.loaded.files = files
        for path in files:
            order: list[S.Module] = []
            if self._visit(path, None, [], set(), order):
                self.loaded.roots.append(Root(path, tuple(order)))
        return self.loaded

    def _visit(self, path: str, via: S.Import | None, chain: list[str], done: set[str],
               order: list[S.Module]) -> bool:
        """Depth-first: add `path`'s imports, then `path`, to `order`. False if it cannot be read."""
        key = os.path.realpath(path)
        if key in done:
            return True
        if key in (os.path.realpath(c) for c in chain):
            names = chain[chain.index(next(c for c in chain if os.path.realpath(c) == key)):] + [path]
            self._error(codes.IMPORT_CYCLE, "import cycle: " + " -> ".join(names), via,
                        "remove one of these imports; put shared declarations in a file of their own")
            return False
        module = self._read(path, via)
        if module is None:
            return False
        ok = True
        for decl in module.decls:
            if isinstance(decl, S.Import):
                target = os.path.normpath(os.path.join(os.path.dirname(path), decl.path))
                if not self._confined(decl, target):
                    ok = False
                    continue
                ok &= self._visit(target, decl, chain + [path], done, order)
        done.add(key)
        order.append(module)
        return ok

    def _confined(self, decl: S.Import, target: str) -> bool:
        """Whether the import may be read; if not, say why (naming paths only, never reading the file)."""
        if "\0" in decl.path:
            self._error(codes.IMPORT_ERROR, "an import path cannot contain a NUL character", decl,
                        "name the file with ordinary characters")
            return False
        if self.allow_outside:
            return True
        if os.path.isabs(decl.path):
            self._error(codes.IMPORT_OUTSIDE, f"import of an absolute path: {decl.path}", decl,
                        f"import paths are relative to the importing file; {ALLOW_HELP}")
            return False
        if is_inside(target, self.roots):
            return True
        real = os.path.realpath(target)
        leads = f" (through a symbolic link, to {real})" if real != os.path.abspath(target) else ""
        self._error(codes.IMPORT_OUTSIDE, f"import of {decl.path} leads outside the project{leads}", decl,
                    PROJECT_HELP)
        return False

    def _read(self, path: str, via: S.Import | None) -> S.Module | None:
        if path in self._modules:
            return self._modules[path]
        module = None
        given = self._texts.get(os.path.realpath(path))
        if given is not None:
            # a byte order mark is not text; a space keeps the columns the editor shows
            return self._parse(path, " " + given[1:] if given.startswith("\ufeff") else given)
        try:
            with open(path, encoding="utf-8-sig") as handle:  # a leading byte order mark is not text
                # Past the size limit the parser refuses the file anyway: read no more than that
                # (so a huge file, or an endless one like /dev/zero, costs bounded memory).
                text = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            code = codes.IMPORT_NOT_FOUND if via else codes.FILE_NOT_FOUND
            self._error(code, f"cannot find {via.path if via else path}" + (f" (looked for {path})" if via else ""),
                        via, "import paths are relative to the importing file", path)
        except UnicodeDecodeError as err:
            self._error(codes.IMPORT_ERROR, f"{path} is not UTF-8 text (byte {err.start})", via,
                        "save the file as UTF-8", path, None if via else _place(path, err.object, err.start))
        except OSError as err:
            self._error(codes.IMPORT_ERROR, f"cannot read {path}: {err.strerror}", via, None, path)
        else:
            return self._parse(path, text)
        self._modules[path] = module
        return module

    def _parse(self, path: str, text: str) -> S.Module:
        source = SourceFile(path, text)
        self.loaded.sources[path] = source
        module, diags = parse_source(source)
        self.loaded.diagnostics += diags
        self.loaded.modules[path] = module
        self._modules[path] = module
        return module

    def _error(self, code: str, message: str, via: S.Import | None, help: str | None,
               path: str | None = None, span: Span | None = None) -> None:
        span = via.span if via is not None else span
        diag = Diagnostic(code, message, span, help=help, path=path)
        if diag not in self.loaded.diagnostics:
            self.loaded.diagnostics.append(diag)


def _place(path: str, data: bytes, index: int) -> Span:
    """Where byte `index` of undecodable `data` is (the column counts the characters before it)."""
    line_start = data.rfind(b"\n", 0, index) + 1
    line = data.count(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", "replace")) + 1
    return Span(path, line, column, line, column + 1)


def load(paths: list[str], allow_outside: bool = False, roots: tuple[str, ...] = (),
         texts: Mapping[str, str] | None = None) -> Loaded:
    """Find, read and parse the given files and directories with their imports.

    Imports may reach the projects of `paths` (and of the extra paths `roots`),
    or anywhere with `allow_outside`. `texts` maps paths to the text to read instead
    of the file (an editor's open documents, saved or not); `check` gives none.
    """
    return Loader(allow_outside, allowed_roots(list(roots)), texts).load(paths)
