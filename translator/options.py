"""The one options record of a run: what the command line, the pytest plugin and the API all build.

Every layer reads its part of the same frozen `Options`: the front end
(`claims`, `allow_import_outside`, `import_roots`), the checker (`timeout`,
`rlimit`, `models`, `solver`, `strict`), and the stack around it (`jobs`, `isolate`, the proof
record switches, `cross_check`). `check.stack.open_stack` builds the whole
checker stack from it, in one place. Importing this module costs nothing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


def default_jobs() -> int:
    """`--jobs` when not given: `ALIGNPROOF_JOBS` if set to a positive number, else the processors."""
    configured = os.environ.get("ALIGNPROOF_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return processors()


def processors() -> int:
    """The number of processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Limits:
    """What `--isolate` allows each worker: address space in MiB, CPU seconds per task."""

    memory_mib: int | None = None
    cpu_seconds: float | None = None

    def describe(self) -> str:
        parts = []
        if self.memory_mib:
            parts.append(f"{self.memory_mib} MiB of memory")
        if self.cpu_seconds:
            parts.append(f"{self.cpu_seconds:g} s of CPU time per query")
        return " and ".join(parts)


@dataclass(frozen=True)
class Options:
    timeout: float = 10.0
    rlimit: int | None = None
    claims: tuple[str, ...] = ()
    models: int = 1
    allow_import_outside: bool = False  # imports may leave the project of the paths checked
    import_roots: tuple[str, ...] = ()  # more trees imports may reach (the pytest plugin's --align paths)
    jobs: int = 1                       # queries answered at once (1: all in this process)
    isolate: Limits | None = None       # --isolate: every query in a fenced worker process
    record: bool = False                # write proofs/<spec>.json
    cached: bool = False                # replay recorded results that still check
    strict_records: bool = False        # drift from a record (or no record) fails the run
    retry_unknown: bool = False         # with cached: solve a recorded `unknown` again
    cross_check: bool = False           # answer every query again with the solver that did not answer
    solver: str | None = None           # --solver z3|cvc5|portfolio; None: the portfolio where cvc5 is installed
    importers: bool = False             # also check the specs that import a file named (frontend/importers.py)
    strict: bool = False                # axioms whose consistency is undecided fail the run (check/theory.py)

    @property
    def records_shown(self) -> bool:
        """Whether drift is reported even when no record file exists (JSON then has `"drift": []`)."""
        return self.record or self.cached or self.strict_records
