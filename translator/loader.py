"""Stage 0: find the spec files and read them with their imports.

Each file named on the command line (or found under a named directory) is a
root. A root's program is the root file plus everything it imports,
transitively, in dependency order (imports first), each file once even when
imported along several paths; a cycle is an error naming the chain.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import diagnostics as codes
from . import syntax as S
from .diagnostics import Diagnostic
from .parser import parse_source
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


def find_specs(paths: list[str]) -> tuple[list[str], list[Diagnostic]]:
    """The `.align` files named by `paths` (directories searched recursively, sorted)."""
    found: list[str] = []
    diags: list[Diagnostic] = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(
                os.path.join(folder, name)
                for folder, _dirs, names in os.walk(path)
                for name in names if name.endswith(SUFFIX)
            )
            if not inside:
                diags.append(Diagnostic(codes.NO_SPECS, f"no {SUFFIX} files under {path}", path=path,
                                        help=f"spec files end in {SUFFIX}"))
            found += inside
        elif os.path.isfile(path):
            found.append(path)
        else:
            diags.append(Diagnostic(codes.FILE_NOT_FOUND, f"no such file or directory: {path}", path=path))
    unique = list(dict.fromkeys(os.path.normpath(p) for p in found))
    return unique, diags


class Loader:
    """Reads and parses files once each, and assembles each root's program."""

    def __init__(self) -> None:
        self.loaded = Loaded()
        self._modules: dict[str, S.Module | None] = {}

    def load(self, paths: list[str]) -> Loaded:
        files, diags = find_specs(paths)
        self.loaded.diagnostics += diags
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
                ok &= self._visit(target, decl, chain + [path], done, order)
        done.add(key)
        order.append(module)
        return ok

    def _read(self, path: str, via: S.Import | None) -> S.Module | None:
        if path in self._modules:
            return self._modules[path]
        module = None
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            code = codes.IMPORT_NOT_FOUND if via else codes.FILE_NOT_FOUND
            self._error(code, f"cannot find {via.path if via else path}" + (f" (looked for {path})" if via else ""),
                        via, "import paths are relative to the importing file", path)
        except UnicodeDecodeError as err:
            self._error(codes.IMPORT_ERROR, f"{path} is not UTF-8 text (byte {err.start})", via,
                        "save the file as UTF-8", path)
        except OSError as err:
            self._error(codes.IMPORT_ERROR, f"cannot read {path}: {err.strerror}", via, None, path)
        else:
            source = SourceFile(path, text)
            self.loaded.sources[path] = source
            module, diags = parse_source(source)
            self.loaded.diagnostics += diags
        self._modules[path] = module
        return module

    def _error(self, code: str, message: str, via: S.Import | None, help: str | None,
               path: str | None = None) -> None:
        span: Span | None = via.span if via is not None else None
        diag = Diagnostic(code, message, span, help=help, path=path)
        if diag not in self.loaded.diagnostics:
            self.loaded.diagnostics.append(diag)


def load(paths: list[str]) -> Loaded:
    """Find, read and parse the given files and directories with their imports."""
    return Loader().load(paths)
