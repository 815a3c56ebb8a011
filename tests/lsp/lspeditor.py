"""An editor for the tests: pygls's language client driving `alignproof lsp` over stdio.

`Editor` starts the server as a process (`python -m translator lsp`), with its
log in a file, speaks the protocol through `pygls.lsp.client.BaseLanguageClient`,
and keeps what the server sends unasked: the diagnostics of each document (with a
way to wait for the next ones that satisfy a condition) and its log messages. Every
request goes through `request`, which fails the test if the server answers with an
error (which would carry a traceback). Tests run the coroutines with `asyncio.run`.
"""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import BaseLanguageClient

WAIT = 300.0
"""Seconds to wait for the server (the machine is shared: generous, never a speed test)."""

CHECK_TIMEOUT = 300
"""Seconds per solver query in the tests' checks unless a test says (a loaded machine must not turn a
trivial proof into `unknown`)."""


class Editor:
    def __init__(self, folder: Path, *args: str, init_options: dict | None = None,
                 encodings: list[lsp.PositionEncodingKind] | None = None, log: Path | None = None):
        self.folder = folder
        self.encodings = encodings
        self.args = args
        self.init_options = {"timeout": CHECK_TIMEOUT} if init_options is None else init_options
        self.log = log or folder / "server.log"
        self.client = BaseLanguageClient("alignproof-tests", "1")
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.published: dict[str, int | None] = {}  # the document version of each uri's last diagnostics
        self.messages: list[lsp.LogMessageParams | lsp.ShowMessageParams] = []
        self.versions: dict[str, int] = {}
        self.changed = asyncio.Condition()
        self.capabilities: lsp.ServerCapabilities | None = None

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.published[params.uri] = params.version
            async with self.changed:
                self.changed.notify_all()

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        @self.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        async def message(params) -> None:
            self.messages.append(params)
            async with self.changed:
                self.changed.notify_all()

    async def __aenter__(self) -> Editor:
        await self.client.start_io(sys.executable, "-m", "translator", "lsp", "--stdio", "--log", str(self.log),
                                   *self.args, cwd=str(self.folder))
        result = await asyncio.wait_for(self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(
                position_encodings=self.encodings)), root_uri=self.folder.as_uri(),
            initialization_options=self.init_options)), WAIT)
        self.capabilities = result.capabilities
        self.client.initialized(lsp.InitializedParams())
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), WAIT)
            self.client.exit(None)
        finally:
            await asyncio.wait_for(self.client.stop(), WAIT)

    # ------------------------------------------------------------ documents

    def uri(self, name: str) -> str:
        return (self.folder / name).as_uri()

    def open(self, name: str, text: str | None = None) -> str:
        uri = self.uri(name)
        if text is None:
            text = (self.folder / name).read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.diagnostics.pop(uri, None)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "align", 1, text)))
        return uri

    def replace(self, uri: str, text: str) -> None:
        """The whole text changed (a full-document change)."""
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(self.versions[uri], uri),
            [lsp.TextDocumentContentChangeWholeDocument(text)]))

    def edit(self, uri: str, edits: list[lsp.TextEdit]) -> None:
        """Incremental changes, applied by the server in the order sent (last in the file first)."""
        self.versions[uri] += 1
        ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(self.versions[uri], uri),
            [lsp.TextDocumentContentChangePartial(e.range, e.new_text) for e in ordered]))

    def save(self, uri: str, name: str, text: str) -> None:
        (self.folder / name).write_text(text, encoding="utf-8")
        self.client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri)))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri)))

    # ------------------------------------------------------------ waiting and asking

    async def until(self, ready: Callable[[], object], what: str) -> object:
        """Wait until `ready()` is true (checked at each notification, and every tenth of a second for
        what comes without one, such as the log); its value."""
        async def wait() -> object:
            async with self.changed:
                while not (value := ready()):
                    try:
                        await asyncio.wait_for(self.changed.wait(), 0.1)
                    except TimeoutError:
                        pass
                return value
        try:
            return await asyncio.wait_for(wait(), WAIT)
        except TimeoutError:
            raise AssertionError(f"the server never sent {what}; diagnostics: {self.diagnostics}; "
                                 f"messages: {[m.message for m in self.messages]}") from None

    async def diagnostics_of(self, uri: str, ready: Callable[[list[lsp.Diagnostic]], bool],
                             what: str) -> list[lsp.Diagnostic]:
        await self.until(lambda: uri in self.diagnostics and ready(self.diagnostics[uri]), what)
        return self.diagnostics[uri]

    def logged(self, text: str) -> bool:
        return self.log.exists() and text in self.log.read_text(encoding="utf-8")

    async def message(self, contains: str) -> str:
        found = await self.until(lambda: next((m.message for m in self.messages if contains in m.message), None),
                                 f"a message with {contains!r}")
        return str(found)

    async def request(self, method: Callable, params) -> object:
        return await asyncio.wait_for(method(params), WAIT)

    async def hover(self, uri: str, line: int, character: int) -> lsp.Hover | None:
        return await self.request(self.client.text_document_hover_async,
                                  lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character)))

    async def definition(self, uri: str, line: int, character: int):
        return await self.request(self.client.text_document_definition_async, lsp.DefinitionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(line, character)))

    async def symbols(self, uri: str):
        return await self.request(self.client.text_document_document_symbol_async,
                                  lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri)))

    async def actions(self, uri: str, where: lsp.Range, diagnostics: list[lsp.Diagnostic]):
        return await self.request(self.client.text_document_code_action_async, lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), where, lsp.CodeActionContext(diagnostics)))


def position_of(text: str, needle: str, offset: int = 0, occurrence: int = 0) -> lsp.Position:
    """The 0-based position of the `occurrence`-th `needle` in `text`, plus `offset` characters
    (the texts of the tests are ASCII, so characters are UTF-16 units)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return lsp.Position(line, index - (text.rfind("\n", 0, index) + 1))


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """`text` with the edits applied (as an editor would: each at its own range of the original)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(p: lsp.Position) -> int:
        return offsets[p.line] + p.character
    for edit in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        text = text[:at(edit.range.start)] + edit.new_text + text[at(edit.range.end):]
    return text
