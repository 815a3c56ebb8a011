"""Shared test helpers."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# `alignproof check` spreads queries over one worker process per processor by
# default. The tests call it hundreds of times on small inputs, where starting
# workers would cost more than it saves; tests of `--jobs` and `--isolate` ask
# for workers explicitly.
os.environ.setdefault("ALIGNPROOF_JOBS", "1")

# `--cached` runs keep their report in the run cache (translator/check/memo.py), beside the
# parser's tables in ~/.cache/alignproof: the tests keep theirs apart, one folder per test process.
os.environ.setdefault("ALIGNPROOF_CACHE", tempfile.mkdtemp(prefix="alignproof-cache-"))


def _tptp_dir() -> Path:
    """The TPTP soundness corpus: beside this checkout (../shared/tptp), else where it lives here."""
    for candidate in (ROOT.parent / "shared" / "tptp", Path("/work/shared/tptp")):
        if (candidate / "index.tsv").exists():
            return candidate
    return ROOT.parent / "shared" / "tptp"


TPTP_DIR = _tptp_dir()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


SWEEP_SEED = 20261202
"""The seed that picks the sample of each slow soundness sweep in the default run (`sampled`).
The whole sweeps are the tests marked `full_sweep`, left out by default (pyproject.toml's
addopts) and run by CI after the rest: `python -m pytest -q -n 2 -m full_sweep` (.ci/run)."""


def sampled(items: list, size: int) -> list:
    """`size` of `items` picked with `SWEEP_SEED`, in their order (all of them if there are fewer)."""
    import random
    if len(items) <= size:
        return list(items)
    chosen = set(random.Random(SWEEP_SEED).sample(range(len(items)), size))
    return [item for i, item in enumerate(items) if i in chosen]


def pytest_configure(config):
    config.addinivalue_line("markers", "full_sweep: a whole soundness sweep whose seeded sample runs by default "
                                       "(run with -m full_sweep; CI does)")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the expected output of the golden tests from the current behaviour")


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`alignproof ARGV...` in this process: (exit status, stdout, stderr)."""
    import io

    from translator.cli import dispatch
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()
