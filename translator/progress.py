"""The progress protocol: what a long piece of work tells while it runs, and who listens.

The work (the checker stack for `check` and `report`; any command that asks
the solver many questions) reports to a `Progress`:

- `start(total, unit)` once: how many steps there are (`"claims"`, ...);
- `begin(step)` when a step starts and `end(step)` when it is over, or
  `with progress.step(step):` around it. Steps are strings that name the
  work for people (`claim_step` spells a claim's); several may run at once
  (worker processes), and they may be reported from other threads;
- `finish()` once, when the work is over or abandoned.

`end` of a step already ended, or of one never begun, counts it once: so a
layer that knows a step is settled (the pipeline, with each program's
results) may say so even when a lower layer already did, or never could (a
query dropped because the axioms conflict). Steps are counted against the
total only by `end`.

This base class keeps the count and shows nothing; a display overrides
`changed` (called after every change, under the lock) and `finished`.
`Silent` ignores everything. The terminal's display is
`outputs/terminal.py`. Importing this module costs nothing.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Progress:
    """Counts the steps of one piece of work; thread-safe. Subclasses show it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.total = 0
        self.unit = "steps"
        self.done = 0
        self.running: dict[str, None] = {}  # the steps begun and not ended, oldest first
        self._ended: set[str] = set()

    def start(self, total: int, unit: str = "steps") -> None:
        with self.lock:
            self.total, self.unit = total, unit
            self.changed()

    def begin(self, step: str) -> None:
        with self.lock:
            if step not in self._ended and step not in self.running:
                self.running[step] = None
                self.changed()

    def end(self, step: str) -> None:
        with self.lock:
            if step in self._ended:
                return
            self._ended.add(step)
            self.running.pop(step, None)
            self.done += 1
            self.changed()

    @contextmanager
    def step(self, step: str) -> Iterator[None]:
        self.begin(step)
        try:
            yield
        finally:
            self.end(step)

    def finish(self) -> None:
        with self.lock:
            self.running.clear()
            self.finished()

    def changed(self) -> None:
        """Called with the lock held after every change of the count or of the running steps."""

    def finished(self) -> None:
        """Called with the lock held when the work is over."""


class Silent(Progress):
    """The listener when nobody listens: every report is dropped at once."""

    def start(self, total: int, unit: str = "steps") -> None:
        pass

    def begin(self, step: str) -> None:
        pass

    def end(self, step: str) -> None:
        pass

    @contextmanager
    def step(self, step: str) -> Iterator[None]:
        yield

    def finish(self) -> None:
        pass


SILENT = Silent()


def claim_step(root: str, name: str) -> str:
    """The step of checking claim (or example) `name` of the program rooted at `root`."""
    return f"{root}: {name}"
