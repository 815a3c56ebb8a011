"""Verdicts on save: a saved document's claims checked in a worker process, off the editor's way.

The server hands a `Request` (the document, the texts of the open files it
reads, the limits, and the answers it already has by fingerprint) to one
worker process (`solvers/workers.py`'s bootstrap), which runs the front end
on the same texts and the checker stack of `check --cached`: a query whose
fingerprint (`check/records.py`) matches an answer of this session is taken
from it, one whose proof record matches is confirmed from the record, the
rest are solved. It hands back an `Answer`: one `Checked` per claim and
example (its result, where it came from, its fingerprint) and the
inconsistency error if any. A check the editor made stale (the document
or a file it reads changed) is cancelled by ending the worker; the next
one starts a fresh worker. One check runs at a time; checks wait their turn.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ..check.results import Result
    from ..frontend.diagnostics import Diagnostic
    from ..solvers.workers import Worker

log = logging.getLogger("alignproof.lsp")

KNOWN_LIMIT = 2000
"""Answers kept by fingerprint for the session (the oldest are forgotten first)."""


class Origin(str, Enum):
    SOLVED = "solved"
    RECORD = "record"     # a proof record's result, confirmed in this check
    SESSION = "session"   # an earlier check of this session answered the same question

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Known:
    """An answer of this session: the result and the inconsistency error it came with."""

    result: Result
    inconsistency: Diagnostic | None = None


@dataclass(frozen=True)
class Request:
    path: str
    texts: Mapping[str, str]
    timeout: float = 10.0
    allow_outside: bool = False
    known: Mapping[str, Known] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    result: Result
    origin: Origin
    fingerprint: str


@dataclass(frozen=True)
class Answer:
    path: str
    checked: tuple[Checked, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # the inconsistency error; or the input errors that stopped it
    input_error: bool = False
    failure: str = ""                         # the check itself failed (logged by the worker)


# ---------------------------------------------------------------- the worker's side

def serve(conn: Connection) -> None:
    """The worker's loop: one `Request` in, one `Answer` out, until the server goes."""
    os.dup2(2, 1)  # stdout is the editor's channel: nothing of this process may land there
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(request))


def answer(request: Request) -> Answer:
    """Check the request's document; never raises (a failure is logged and said in the answer)."""
    try:
        return _answer(request)
    except Exception as error:  # noqa: BLE001 - the worker reports, the server goes on
        log.exception("checking %s failed", request.path)
        return Answer(request.path, failure=f"{type(error).__name__}: {error}")


def _answer(request: Request) -> Answer:
    from ..check.records import fingerprint
    from ..check.stack import check_options, open_stack
    from ..options import Options
    from ..solvers.z3 import z3_version
    from .analysis import analyse
    analysis = analyse(request.path, request.texts, request.allow_outside)
    program = analysis.program
    if program is None:
        return Answer(request.path, diagnostics=analysis.diagnostics, input_error=True)
    options = Options(timeout=request.timeout, cached=True, jobs=1, allow_import_outside=request.allow_outside)
    check = check_options(options)
    z3 = z3_version()
    prints = {q.name: fingerprint(program, q, check, z3) for q in program.queries}
    hits = {name: request.known[fp] for name, fp in prints.items() if fp in request.known}
    misses = [q.name for q in program.queries if q.name not in hits]
    fresh: dict[str, Result] = {}
    inconsistency = next((k.inconsistency for k in hits.values() if k.inconsistency is not None), None)
    if misses:
        with open_stack(options) as stack:
            stack.checker.prepare([program], check, misses)
            outcome = stack.checker(program, check, misses)
        fresh = {r.name: r for r in outcome.results}
        inconsistency = outcome.inconsistency
    checked = []
    for query in program.queries:
        if query.name in hits:
            result = replace(hits[query.name].result, file=query.file, span=query.span, doc=query.doc)
            checked.append(Checked(result, Origin.SESSION, prints[query.name]))
        elif query.name in fresh:
            result = fresh[query.name]
            checked.append(Checked(result, Origin.RECORD if result.cached else Origin.SOLVED, prints[query.name]))
    return Answer(request.path, tuple(checked), (inconsistency,) if inconsistency is not None else ())


# ---------------------------------------------------------------- the server's side

def _off_loop(work: Callable[[Request], Answer | None], request: Request) -> asyncio.Future[Answer | None]:
    """`work(request)` in a daemon thread, as a future of the running loop. Unlike `asyncio.to_thread`,
    the loop does not wait for it when it closes (the client went away mid-check)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Answer | None] = loop.create_future()

    def settle(value: Answer | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        value, error = None, None
        try:
            value = work(request)
        except BaseException as failure:  # noqa: BLE001 - handed to the awaiting task
            error = failure
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass

    threading.Thread(target=run, name="alignproof-lsp-wait", daemon=True).start()
    return future


class Verifier:
    """Runs one check at a time in a worker process; remembers this session's answers."""

    def __init__(self) -> None:
        self.known: OrderedDict[str, Known] = OrderedDict()
        self._worker: Worker | None = None
        self._turn = asyncio.Lock()
        self._generation: dict[str, int] = {}
        self._reads: dict[str, frozenset[str]] = {}  # each waiting or running check: the files it reads
        self._running: str | None = None
        self._guard = threading.Lock()

    async def check(self, request: Request, reads: frozenset[str]) -> Answer | None:
        """The answer to `request`, or None when it was cancelled (or overtaken) before it came."""
        generation = self._generation.get(request.path, 0) + 1
        self._generation[request.path] = generation
        self._reads[request.path] = reads
        async with self._turn:
            if self._generation.get(request.path) != generation:
                return None
            self._running = request.path
            log.info("checking %s", request.path)
            try:
                got = await _off_loop(self._ask, replace(request, known=dict(self.known)))
            finally:
                self._running = None
        if got is None or self._generation.get(request.path) != generation:
            return None
        self._reads.pop(request.path, None)
        self._remember(got)
        return got

    def cancel(self, changed: Iterable[str]) -> list[str]:
        """Cancel every check that reads one of the `changed` real paths; the roots cancelled."""
        changed = set(changed)
        stale = [path for path, reads in self._reads.items() if reads & changed]
        for path in stale:
            self._generation[path] = self._generation.get(path, 0) + 1
            del self._reads[path]
            if path == self._running:
                self._end_worker()
        return stale

    def close(self) -> None:
        self._end_worker()

    def _remember(self, answer: Answer) -> None:
        inconsistency = answer.diagnostics[0] if answer.diagnostics and not answer.input_error else None
        for checked in answer.checked:
            self.known[checked.fingerprint] = Known(replace(checked.result, cached=False), inconsistency)
            self.known.move_to_end(checked.fingerprint)
        while len(self.known) > KNOWN_LIMIT:
            self.known.popitem(last=False)

    def _end_worker(self) -> None:
        with self._guard:
            worker = self._worker
        if worker is not None and worker.process.is_alive():
            worker.process.kill()

    def _ask(self, request: Request) -> Answer | None:
        """In a thread: send the request to the worker (started if need be) and wait for its answer."""
        from ..solvers import workers
        with self._guard:
            if self._worker is None or not self._worker.process.is_alive():
                self._worker = workers.start(serve, name="alignproof-lsp-check")
            worker = self._worker
        try:
            worker.conn.send(request)
            while True:
                ready = workers.wait([worker.conn, worker.process.sentinel], 1.0)
                if worker.conn in ready:
                    got = worker.conn.recv()
                    return got if isinstance(got, Answer) else None
                if worker.process.sentinel in ready:
                    break
        except (EOFError, OSError):
            pass
        with self._guard:
            if self._worker is worker:
                self._worker = None
        ended = worker.stop()
        log.info("the check of %s was cancelled (worker %s)", request.path, ended)
        return None
