"""Where proof records live, and their files: the rule that finds a spec's record, read and write.

The rule (README, "Proof records"): a spec's *project* is the nearest
directory at or above the spec's own directory that holds a `proofs/`
folder; failing that, the nearest that holds `.git` or `pyproject.toml` (the
project the loader confines imports to); failing that, the current directory
if the spec lies under it, else the spec's directory. The record of `PROJECT/a/b.align` is
`PROJECT/proofs/a/b.align.json`. So a record is found from wherever the
command is run. This module imports nothing of the compiler: the run cache
uses it without the front end.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..logic.numbers import dumps, loads

RECORDS_DIR = "proofs"
RECORD_FORMAT = 1
TOP_MARKERS = (".git", "pyproject.toml")  # as frontend/loader.py's project_root


def project_of(spec: str) -> Path:
    """The directory a spec's record is kept under (the rule above)."""
    here = Path(os.path.abspath(spec)).parent
    for folder in (here, *here.parents):
        if (folder / RECORDS_DIR).is_dir():
            return folder
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in TOP_MARKERS):
            return folder
    cwd = Path(os.path.abspath(os.curdir))
    return cwd if cwd == here or cwd in here.parents else here


def record_path(spec: str) -> Path:
    """`PROJECT/proofs/<spec path within PROJECT>.json`."""
    project = project_of(spec)
    rel = Path(os.path.abspath(spec)).relative_to(project)
    return project / RECORDS_DIR / rel.parent / (rel.name + ".json")


def record_name(spec: str) -> str:
    """The spec's path within its project, as a record's `file` names it."""
    return Path(os.path.abspath(spec)).relative_to(project_of(spec)).as_posix()


def read_record(path: Path) -> dict | None:
    """The record's document, or None when there is none (or it is not a record)."""
    try:
        doc = loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("claims"), dict) else None


def write_record(path: Path, spec: str, claims: dict[str, dict],
                 readings: dict[str, dict[str, dict]] | None = None) -> None:
    """The record: the results of the program as written (`claims`) and, for a spec with readings,
    those of each reading (`readings`, absent otherwise)."""
    doc: dict[str, object] = {"format": RECORD_FORMAT, "file": record_name(spec), "claims": claims}
    if readings:
        doc["readings"] = readings
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
