"""The front end's cache: typed programs kept by the sources they were read from.

`pipeline.read` asks `replay` first: when the same paths, read with the same
import options from the same working directory, find the same files (each
directory's `.align` files, the project markers above each path, every source
with the same sha256 and the same real path), the `FrontEnd` of that earlier
run is read back, and lark, the parser and the type checker are not even
imported (about half of a small check's imports, bench/RESULTS.md). Only a
clean front end is kept (no diagnostic, every root checked), after it ran.

The key also holds the front end's own code (the modules of `frontend/` and
`logic/` and the grammar, by size and modification time), lark's package and
Python's version, so a changed checker never reads a program typed by an older one.
Entries are pickles (the programs are plain frozen dataclasses), in
`programs/` of the tool's cache folder beside the run cache (`check/memo.py`:
`$ALIGNPROOF_CACHE`, empty for none): only this tool writes there, in a folder
only its user can write, as lark's own table cache. Any failure to read an
entry (missing, stale, corrupt, from another version) is a miss and the front
end runs; a cache that cannot be written is no cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections.abc import Sequence
from importlib.machinery import PathFinder
from pathlib import Path
from typing import TYPE_CHECKING

from . import memo

if TYPE_CHECKING:
    from ..pipeline import FrontEnd

ENTRY_FORMAT = 1
KEPT = 64
"""Entries kept; the oldest beyond these are removed when one is written."""

PACKAGE = Path(__file__).resolve().parent.parent
CODE = ("frontend", "logic")
"""The folders of the package whose code decides what the front end hands on."""


def _folder() -> Path | None:
    runs = memo.directory()
    return runs.parent / "programs" if runs is not None else None


def _code() -> list:
    """The front end's code as it is installed: each module's name, size and modification time."""
    found = []
    for name in CODE:
        with os.scandir(PACKAGE / name) as entries:
            for entry in entries:
                if entry.name.endswith((".py", ".lark")):
                    status = entry.stat()
                    found.append([name, entry.name, status.st_size, status.st_mtime_ns])
    status = os.stat(PACKAGE / "pipeline.py")
    found.sort()
    return [found, status.st_size, status.st_mtime_ns]


def _lark() -> list:
    """The lark installed: where its package is, its size and modification time."""
    spec = PathFinder.find_spec("lark")
    origin = spec.origin if spec is not None else None
    if not origin or not os.path.exists(origin):
        return [origin]
    status = os.stat(origin)
    return [origin, status.st_size, status.st_mtime_ns]


def _key(paths: Sequence[str], allow_outside: bool, roots: tuple[str, ...]) -> str:
    doc = [ENTRY_FORMAT, _code(), _lark(), sys.version_info[:3], os.path.realpath(os.curdir), list(paths),
           allow_outside, list(roots)]
    return hashlib.sha256(json.dumps(doc, default=str).encode("utf-8")).hexdigest()


def _read(paths: Sequence[str], sources: Sequence[str]) -> list:
    """What a front end over `paths` read: the listing, the project markers, each source's real path and digest."""
    files = [[p, os.path.realpath(p), memo._digest(p)] for p in sorted(sources)]
    return [memo._listing(paths), memo._projects(paths), files]


def replay(paths: Sequence[str], allow_outside: bool, roots: tuple[str, ...]) -> FrontEnd | None:
    """The front end kept for these paths and options, if nothing it read has changed; else None."""
    folder = _folder()
    if folder is None:
        return None
    try:
        with open(folder / f"{_key(paths, allow_outside, roots)}.pickle", "rb") as stream:
            read, done = pickle.load(stream)
        if read != _read(paths, list(done.sources)):
            return None
    except Exception:  # noqa: BLE001 - any entry that cannot be read back is a miss, never an error
        return None
    return done


def store(paths: Sequence[str], allow_outside: bool, roots: tuple[str, ...], done: FrontEnd) -> None:
    """Keep `done` if the front end found nothing wrong and checks every root."""
    folder = _folder()
    if folder is None or done.diagnostics or done.unchecked or not done.programs:
        return
    entry = (_read(paths, list(done.sources)), done)
    target = folder / f"{_key(paths, allow_outside, roots)}.pickle"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEPT]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a cache that cannot be written is no cache; the front end has run
