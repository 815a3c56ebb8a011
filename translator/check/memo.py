"""The run cache: a `--cached` run replayed whole, without the front end, when nothing it read changed.

After a `--cached` run in which every result was replayed from a proof
record *and confirmed* (`records`, README "Proof records"), the run is kept
here, keyed on everything its report depends on: alignproof's own files,
the Z3, lark, cvc5 and E installed, Python's version, the current directory, the
paths and options given. The entry lists what the run read: each directory's
`.align` files, the project markers above each path (which decide where
imports may reach and where records are), each source file's sha256, and
each proof record's sha256 (or its absence). A later run with the same key whose files all still hash
the same is that run again: its report is read back (`Result.from_json`)
without lark, the type checker or z3 being imported.

A run so replayed keeps its report too (`store_report`): the text the
writer wrote, rendered with `SECONDS_MARKS` seconds and cut there, what it
wrote to standard error and the exit status, under the run's key and what
the writer reads besides the run (format, `--quiet`, `--all-symbols`, whether
the stream takes colours and non-ASCII marks), with the run's list of what
it read. The next such run with every file unchanged writes that text with
its own seconds (`replay_report`, called by `cli/check.py` before anything
else is imported): not even the results' records are built.

The cache lives outside the repository, in `runs/` of the tool's cache
folder (`$ALIGNPROOF_CACHE`, else `$XDG_CACHE_HOME/alignproof`, else
`~/.cache/alignproof`, as for the parser's tables; an empty `ALIGNPROOF_CACHE`
turns both off): nothing in a checkout, however edited,
can put an entry there; only this tool writes one, after it confirmed the
records. It holds JSON, never code.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from importlib.machinery import PathFinder
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..logic.numbers import dumps, loads
from ..options import Options
from .store import record_path

if TYPE_CHECKING:  # the results' records are imported only to replay a run: a kept report needs none
    from .results import Run

CACHE_ENV = "ALIGNPROOF_CACHE"
ENTRY_FORMAT = 1
KEPT = 64
"""Entries kept; the oldest beyond these are removed when one is written."""

SUFFIX = ".align"
PACKAGE = Path(__file__).resolve().parent.parent


def directory() -> Path | None:
    """Where the cache lives; None when it is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured, "runs") if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "alignproof", "runs")


def usable(options: Options) -> bool:
    """Whether a run with these options may be replayed: `--cached`, writing nothing, one model."""
    return (options.cached and not options.record and not options.cross_check and options.models == 1
            and directory() is not None)


# ---------------------------------------------------------------- keys and what a run read

def _tool() -> list:
    """What the code that produced a report is: alignproof's files, the solvers' and lark's, Python's version."""
    files = []
    for folder, _dirs, names in os.walk(PACKAGE):
        for name in sorted(names):
            if name.endswith((".py", ".lark")):
                stat = os.stat(os.path.join(folder, name))
                files.append([os.path.relpath(os.path.join(folder, name), PACKAGE), stat.st_mtime_ns, stat.st_size])
    files.sort()
    found: list[list] = []
    for name in ("z3", "lark", "cvc5"):
        spec = PathFinder.find_spec(name)
        _installed(found, name, spec.origin if spec is not None else None)
    _installed(found, "eprover", shutil.which("eprover"))  # the portfolio's third prover, a program on PATH
    portfolio = os.environ.get("ALIGNPROOF_PORTFOLIO")  # `sequential` changes which answers the portfolio gets
    return [__version__, sys.version_info[:3], str(PACKAGE), files, found, portfolio]


def _installed(found: list[list], name: str, origin: str | None) -> None:
    """`name`'s file, its time and size (so an upgraded solver is another tool), onto `found`."""
    status = os.stat(origin) if origin and os.path.exists(origin) else None
    found.append([name, origin, status.st_mtime_ns if status else None, status.st_size if status else None])


def _key(paths: Sequence[str], options: Options) -> str:
    chosen = {k: v for k, v in dataclasses.asdict(options).items() if k != "jobs"}  # jobs change no result
    doc = [ENTRY_FORMAT, _tool(), os.path.realpath(os.curdir), list(paths), chosen]
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _listing(paths: Sequence[str]) -> dict[str, list]:
    """Per path given: a file, or a directory with its `.align` files (and where each really is)."""
    out: dict[str, list] = {}
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(folder, name) for folder, _dirs, names in os.walk(path)
                           for name in names if name.endswith(SUFFIX))
            out[path] = ["dir", [[p, os.path.realpath(p)] for p in found]]
        else:
            out[path] = ["file", os.path.realpath(path)]
    return out


MARKERS = ("proofs", ".git", "pyproject.toml")
"""What decides a path's project, for its records (`store.project_of`) and its imports (the loader's)."""


def _projects(paths: Sequence[str]) -> list:
    """Per path given: the folders above it that hold a project's marker, and which markers."""
    out = []
    for path in paths:
        folder = Path(os.path.abspath(path))
        found = []
        for above in (folder, *folder.parents):
            present = [m for m in MARKERS if os.path.lexists(above / m)]
            if present:
                found.append([str(above), present])
        out.append(found)
    return out


def _roots(listing: dict[str, list]) -> Iterator[str]:
    for kind, found in listing.values():
        if kind == "dir":
            yield from (path for path, _ in found)
        else:
            yield found


def _digest(path: str | Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _read(paths: Sequence[str], sources: Sequence[str]) -> dict:
    """What a run over `paths` read: the listing, every source's digest, every proof record's."""
    listing = _listing(paths)
    records = sorted({str(record_path(root)) for root in _roots(listing)})
    return {"listing": listing, "projects": _projects(paths), "files": {p: _digest(p) for p in sorted(sources)},
            "records": {p: _digest(p) for p in records}}


# ---------------------------------------------------------------- replay and store

def replay(paths: Sequence[str], options: Options) -> Run | None:
    """The run kept for these paths and options, if nothing it read has changed; else None."""
    from .results import Drift, Result, Run
    folder = directory()
    if folder is None:
        return None
    try:
        entry = loads((folder / f"{_key(paths, options)}.json").read_text(encoding="utf-8"))
        read = entry["read"]
        if _read(paths, list(read["files"])) != read:
            return None
        shape = entry["signature"]
        sig = {name: (tuple(args), value) for name, (args, value) in shape.items()}
        results = tuple(Result.from_json(doc, sig) for doc in entry["results"])
        drift = tuple(Drift.from_json(doc) for doc in entry["drift"])
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError):
        return None
    return Run(results, drift=drift, strict_records=options.strict_records, replayed=True)


def store(paths: Sequence[str], options: Options, run: Run) -> None:
    """Keep `run` if every result in it was replayed from a confirmed proof record."""
    from .results import signature
    folder = directory()
    if folder is None or run.input_error or run.diagnostics or not run.results or run.drift is None:
        return
    if run.theories:  # a library's consistency is tested afresh in each run, never replayed
        return
    if not all(r.cached for r in run.results):
        return
    entry = {"format": ENTRY_FORMAT, "read": _read(paths, list(run.sources)),
             "signature": signature(run.programs),
             "results": [r.to_json(complete=True) for r in run.results],
             "drift": [d.to_json() for d in run.drift]}
    target = folder / f"{_key(paths, options)}.json"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(dumps(entry), encoding="utf-8")
        os.replace(partial, target)
        _prune(folder)
    except OSError:
        pass  # a cache that cannot be written is no cache; the run itself is done


def _prune(folder: Path) -> None:
    for pattern in ("*[0-9a-f].json", f"*{REPORT_SUFFIX}"):
        entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEPT]:
            old.unlink(missing_ok=True)


# ---------------------------------------------------------------- the report of a replayed run

REPORT_SUFFIX = ".report.json"

SECONDS_MARKS = (987654.32, 876543.21)
"""The seconds a report is rendered with, twice, to be kept: where they appear (`{:.2f}`), the seconds
of the run that writes it again go instead."""


def report_key(paths: Sequence[str], options: Options, rendering: dict) -> str:
    """The key of a kept report: the run's key and what its writer reads besides the run (format,
    its options, whether the stream takes colours and which characters)."""
    doc = [ENTRY_FORMAT, _key(paths, options), rendering]
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def replay_report(paths: Sequence[str], options: Options, rendering: dict) -> tuple[list[str], str, int] | None:
    """The report kept for a run replayed whole with this rendering, if nothing the run read has
    changed: its standard output cut where the seconds go, its standard error, its exit status."""
    folder = directory()
    if folder is None:
        return None
    try:
        entry = json.loads((folder / f"{report_key(paths, options, rendering)}{REPORT_SUFFIX}").read_text("utf-8"))
        if _read(paths, list(entry["read"]["files"])) != entry["read"]:
            return None
        parts, err, status = entry["out"], entry["err"], entry["status"]
        if not (isinstance(parts, list) and all(isinstance(p, str) for p in parts) and 1 <= len(parts) <= 2
                and isinstance(err, str) and isinstance(status, int)):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return parts, err, status


def store_report(paths: Sequence[str], options: Options, rendering: dict, parts: list[str], err: str,
                 status: int) -> None:
    """Keep the report of a run just replayed whole from the run cache (`replay`): its standard output
    cut where the seconds go (`parts`), its standard error and exit status; kept only while the run's
    entry is still what the run read."""
    folder = directory()
    if folder is None:
        return
    try:
        read = loads((folder / f"{_key(paths, options)}.json").read_text(encoding="utf-8"))["read"]
        if _read(paths, list(read["files"])) != read:
            return
        target = folder / f"{report_key(paths, options, rendering)}{REPORT_SUFFIX}"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"format": ENTRY_FORMAT, "read": read, "out": parts, "err": err,
                                       "status": status}), encoding="utf-8")
        os.replace(partial, target)
        _prune(folder)
    except (OSError, ValueError, KeyError, TypeError):
        pass
