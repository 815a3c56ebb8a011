"""The pygls server: the protocol's messages to the analyses, and their answers back.

Open and changed documents are analysed (`analysis`, with every open
document's text as the loader's overlay) after a short pause in typing, and
so is every open document that reads a changed file; their parse and type
errors are published at once. A save starts a check of the saved document
(`verdicts.Verifier`, in a worker process) whose unmet results are
published beside the front end's errors; a change to any file it reads
cancels it. Hover, definition, symbols and the bridge fix read the latest
analysis of the document. Every handler is guarded: an exception is written
to the server's log (stderr, or `--log FILE`) and the client gets an empty
answer, never a traceback.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import convert
from .analysis import Analysis, analyse, real
from .fixes import bridge_fixes, spelling_fixes
from .hover import hover, query_at
from .index import Index
from .positions import Positions
from .symbols import document_symbols
from .verdicts import Answer, Checked, Request, Verifier

log = logging.getLogger("alignproof.lsp")

DEBOUNCE = 0.15
"""Seconds of quiet after a change before the document is analysed again."""

F = TypeVar("F", bound=Callable[..., Any])


def guarded(fallback: object = None) -> Callable[[F], F]:
    """A handler that logs any exception and answers `fallback` instead (no traceback reaches the client)."""
    def wrap(handler: F) -> F:
        @functools.wraps(handler)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the guard of every handler: log, answer empty
                log.exception("%s failed", handler.__name__)
                return fallback
        return run  # type: ignore[return-value]
    return wrap


class AlignServer(LanguageServer):
    """The server and what it knows of the open documents."""

    def __init__(self) -> None:
        super().__init__("alignproof", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, Analysis] = {}
        self.indexes: dict[str, Index] = {}
        self.front: dict[str, list[lsp.Diagnostic]] = {}
        self.checked: dict[str, list[lsp.Diagnostic]] = {}      # verdicts of the last check, while still true
        self.last: dict[str, dict[str, Checked]] = {}           # real root path -> claim -> its last result
        self.stale: set[str] = set()                            # real roots whose last results predate an edit
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.tasks: set[asyncio.Task] = set()
        self.verifier = Verifier()
        self.timeout = 10.0
        self.allow_outside = False

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls's own errors go to the log only (the default would show the client a message)."""
        log.error("protocol error (%s): %s", getattr(source, "__name__", source), error)

    # ------------------------------------------------------------ paths and texts

    def positions(self) -> Positions:
        encoding = self.workspace.position_encoding  # agreed at start-up: an enum (a str), or a plain string
        return Positions(str(getattr(encoding, "value", encoding) or "utf-16"))

    @staticmethod
    def path_of(uri: str) -> str:
        return uris.to_fs_path(uri) or uri

    def uri_of(self, path: str) -> str:
        wanted = real(path)
        for uri in self.workspace.text_documents:
            if real(self.path_of(uri)) == wanted:
                return uri
        return uris.from_fs_path(os.path.abspath(path)) or path

    def texts(self) -> dict[str, str]:
        return {self.path_of(uri): doc.source for uri, doc in self.workspace.text_documents.items()}

    # ------------------------------------------------------------ analyses and diagnostics

    def analyse(self, uri: str) -> Index | None:
        self._unschedule(uri)
        if uri not in self.workspace.text_documents:
            return None
        analysis = analyse(self.path_of(uri), self.texts(), self.allow_outside)
        index = Index(analysis)
        self.analyses[uri], self.indexes[uri] = analysis, index
        self.front[uri] = convert.front_end(analysis, self.positions(), self.uri_of)
        return index

    def index(self, uri: str) -> Index | None:
        """The document's analysis, brought up to date (and published: the waiting analysis it replaces
        would have been) first if a change is waiting."""
        if uri in self.pending or uri not in self.indexes:
            index = self.analyse(uri)
            if index is not None:
                self.publish(uri)
            return index
        return self.indexes[uri]

    def publish(self, uri: str) -> None:
        version = self.workspace.text_documents[uri].version if uri in self.workspace.text_documents else None
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri, self.front.get(uri, []) + self.checked.get(uri, []), version))

    def changed(self, paths: Iterable[str], first: str | None = None) -> None:
        """Files changed: cancel the checks that read them, analyse `first` now and the documents that
        read them after a pause, and forget verdicts that no longer hold."""
        touched = {real(p) for p in paths}
        self.verifier.cancel(touched)
        for uri, analysis in list(self.analyses.items()):
            if analysis.reads & touched:
                self._forget_verdicts(uri)
                if uri != first:
                    self.schedule(uri)
        if first is not None:
            self._forget_verdicts(first)
            self.analyse(first)
            self.publish(first)

    def _forget_verdicts(self, uri: str) -> None:
        self.checked.pop(uri, None)
        root = real(self.path_of(uri))
        if root in self.last:
            self.stale.add(root)

    def schedule(self, uri: str) -> None:
        self._unschedule(uri)
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE, self._analyse_and_publish, uri)

    def _unschedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def _analyse_and_publish(self, uri: str) -> None:
        try:
            if self.analyse(uri) is not None:
                self.publish(uri)
        except Exception:  # noqa: BLE001 - a timer callback: log, keep serving
            log.exception("analysing %s failed", uri)

    def closed(self, uri: str) -> None:
        self._unschedule(uri)
        for table in (self.analyses, self.indexes, self.front, self.checked):
            table.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        self.changed([self.path_of(uri)])

    # ------------------------------------------------------------ verdicts on save

    def saved(self, uri: str) -> None:
        index = self.analyse(uri)
        self.publish(uri)
        if index is None or index.analysis.program is None:
            return  # the front end's errors are shown; there is nothing to check
        analysis = index.analysis
        texts = {p: t for p, t in self.texts().items() if real(p) in analysis.reads}
        request = Request(analysis.path, texts, self.timeout, self.allow_outside)
        task = asyncio.ensure_future(self._verify(uri, request, analysis.reads))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _verify(self, uri: str, request: Request, reads: frozenset[str]) -> None:
        try:
            answer = await self.verifier.check(request, reads)
            if answer is not None:
                self._verified(uri, answer)
        except Exception:  # noqa: BLE001 - a background task: log, keep serving
            log.exception("checking %s failed", uri)

    def _verified(self, uri: str, answer: Answer) -> None:
        index = self.indexes.get(uri)
        if index is None:
            return  # closed meanwhile
        if answer.failure:
            self._tell(lsp.MessageType.Error, f"alignproof: the check of {answer.path} failed: {answer.failure}")
            return
        root = real(answer.path)
        self.last[root] = {c.result.name: c for c in answer.checked}
        self.stale.discard(root)
        extra = () if answer.input_error else answer.diagnostics
        self.checked[uri] = convert.verdicts(answer.checked, extra, index, self.positions(), self.uri_of)
        self.publish(uri)
        failed = sum(1 for c in answer.checked if not c.result.ok)
        self._tell(lsp.MessageType.Info, f"alignproof: checked {answer.path}: {len(answer.checked)} checked, "
                                         f"{len(answer.checked) - failed} ok, {failed} failed")

    def _tell(self, kind: lsp.MessageType, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(kind, message))

    # ------------------------------------------------------------ requests

    def place(self, uri: str, position: lsp.Position) -> tuple[Index, int, int] | None:
        index = self.index(uri)
        if index is None:
            return None
        line, column = self.positions().place(index.analysis.sources.get(index.analysis.path), position)
        return index, line, column

    def hover(self, uri: str, position: lsp.Position) -> lsp.Hover | None:
        found = self.place(uri, position)
        if found is None:
            return None
        index, line, column = found
        root = real(index.analysis.path)
        query = query_at(index, line, column)
        last = self.last.get(root, {}).get(query.name) if query is not None else None
        return hover(index, line, column, self.positions(), last, root in self.stale)

    def definition(self, uri: str, position: lsp.Position) -> list[lsp.Location]:
        found = self.place(uri, position)
        if found is None:
            return []
        index, line, column = found
        occurrence = index.at(index.analysis.path, line, column)
        if occurrence is None:
            return []
        sources = index.analysis.sources
        positions = self.positions()
        if occurrence.imports is not None:
            start = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            return [lsp.Location(self.uri_of(occurrence.imports), start)]
        if occurrence.binder is not None and occurrence.binder.span is not None:
            span = occurrence.binder.span
            return [lsp.Location(self.uri_of(span.path), positions.range(span, sources.get(span.path)))]
        declared = index.meaning(occurrence)
        if declared is None or declared.span is None:
            return []
        return [lsp.Location(self.uri_of(declared.path), positions.range(declared.span, sources.get(declared.path)))]

    def symbols(self, uri: str) -> list[lsp.DocumentSymbol]:
        index = self.index(uri)
        return document_symbols(index.analysis, self.positions()) if index is not None else []

    def actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        index = self.index(params.text_document.uri)
        if index is None:
            return []
        shown = list(params.context.diagnostics)
        return bridge_fixes(index, params.range, self.positions(), params.text_document.uri, shown) \
            + spelling_fixes(index, params.range, self.positions(), params.text_document.uri, shown)

    def configure(self, options: object) -> None:
        """`initializationOptions`: `timeout` (seconds per query) and `allowImportOutside`."""
        if not isinstance(options, dict):
            return
        timeout = options.get("timeout")
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and 0 < timeout < float("inf"):
            self.timeout = float(timeout)
        if isinstance(options.get("allowImportOutside"), bool):
            self.allow_outside = options["allowImportOutside"]


def build() -> AlignServer:
    """The server with every feature registered."""
    server = AlignServer()

    @server.feature(lsp.INITIALIZE)
    @guarded()
    def initialize(ls: AlignServer, params: lsp.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: AlignServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.changed([ls.path_of(params.text_document.uri)], first=params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: AlignServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.changed([ls.path_of(uri)])
        ls.schedule(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    @guarded()
    def did_save(ls: AlignServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.saved(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: AlignServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def watched(ls: AlignServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.changed([ls.path_of(change.uri) for change in params.changes])

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded()
    def on_hover(ls: AlignServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded([])
    def on_definition(ls: AlignServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        return ls.definition(params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded([])
    def on_symbols(ls: AlignServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        return ls.symbols(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    @guarded([])
    def on_code_action(ls: AlignServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.actions(params)

    @server.feature(lsp.SHUTDOWN)
    @guarded()
    def shutdown(ls: AlignServer, params: None) -> None:
        ls.verifier.close()

    @server.feature(lsp.EXIT)
    @guarded()
    def exit(ls: AlignServer, params: None) -> None:
        ls.verifier.close()

    return server


def serve(stdin: Any, stdout: Any, timeout: float = 10.0, allow_outside: bool = False) -> bool:
    """Serve one client over the given binary streams until it exits; whether it shut the server down
    first. `timeout` (per query) and `allow_outside` hold unless the client's initialization options say."""
    server = build()
    server.timeout, server.allow_outside = timeout, allow_outside
    try:
        server.start_io(stdin, stdout)
    finally:
        server.verifier.close()
    return bool(getattr(server.protocol, "_shutdown", False))
