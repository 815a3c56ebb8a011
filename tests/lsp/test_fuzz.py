"""Random edit sequences of the spec library sent to `alignproof lsp`: never a dead server.

Hypothesis draws a file of `spec/` (copied to a project folder of the test's
own) and a sequence of steps an editor might send, or a broken client: small
incremental edits (several to one notification, applied in turn, in UTF-16
units, with pieces of the language, wide letters and surrogate pairs), whole
texts, changes at places past the end of the document, saves (which start a
check the next edit cancels), and requests at any place. After every change
the server must publish diagnostics for the document's latest version, and
answer every request without an error. Where the text holds no line break
but `\\n` (the client and the server agree on lines then), the last
diagnostics must be exactly those of the front end run here on the text the
client holds: the server applied every incremental edit where it was meant.
No timing is assumed: every wait is for a notification or an answer.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from lspeditor import Editor
from lsprotocol import types as lsp

from translator.lsp import convert
from translator.lsp.analysis import analyse
from translator.lsp.positions import Positions

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(p.name for p in (ROOT / "spec").glob("*.align"))
EXAMPLES = int(os.environ.get("ALIGNPROOF_FUZZ_EXAMPLES", "8"))

PIECES = ["sort ", "fun ", "pred ", "const ", "def ", "axiom ", "claim ", "example ", "bridge ", "import ",
          "forall ", "exists ", "not ", " and ", " or ", "if ", "then ", "else ", "via ", "expect ", "within ",
          "proved", "counterexample", "agree(", "agree_on(", "maximizes(", "injective(", "S", "x", "f(x)",
          ": ", " -> ", ". ", ", ", "(", ")", "{", "}", " = ", " != ", " <= ", " >= ", " + ", " * ", " - ",
          ":=", "1", "2.5", "-3", '"', '"base.align"', "#", "# doc\n", "\n", "\n\n", " ", "\t",
          "∀", "∃", "¬", "∧", "∨", "→", "↔", "≤", "≥", "≠", "ℝ", "ℤ", "𝔹", "😀", "é", "\x00"]
ODD_BREAKS = "".join(c for c in map(chr, range(0x3000)) if c != "\n" and len(f"a{c}b".splitlines()) == 2)
"""Line breaks but `\\n` (`\\r`, `\\x0c`, `\\u2028`, ...): pygls splits lines with `splitlines`, the protocol
and the client here at `\\n` (and `\\r`). Sent now and then; a text holding one is not compared with the front
end's own reading, since the two sides may disagree on where an edit goes."""


def _lines_agree(text: str) -> bool:
    return not any(b in text for b in ODD_BREAKS)


def _position(text: str, offset: int) -> lsp.Position:
    """The protocol's position (UTF-16 units) of code point `offset` of `text`, lines split at `\\n`."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line, len(text[start:offset].encode("utf-16-le")) // 2)


pieces = st.lists(st.sampled_from(PIECES * 20 + ["\r\n", *ODD_BREAKS[:6]])
                  | st.text(st.characters(exclude_characters=ODD_BREAKS), max_size=4), max_size=4).map("".join)


@st.composite
def partial(draw, text: str) -> tuple[lsp.TextDocumentContentChangePartial, str]:
    """One incremental change of `text` at code-point boundaries, and the text after it."""
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 60)))
    new = draw(pieces)
    change = lsp.TextDocumentContentChangePartial(lsp.Range(_position(text, start), _position(text, end)), new)
    return change, text[:start] + new + text[end:]


def _whole(texts: dict[str, str]):
    return st.one_of(st.sampled_from(sorted(texts.values())),
                     st.builds(lambda t, i, j: t[min(i, j):max(i, j)],
                               st.sampled_from(sorted(texts.values())), st.integers(0, 6000), st.integers(0, 6000)),
                     st.just(""), st.text(max_size=200))


wild = st.builds(lambda a, b, c, d, new: lsp.TextDocumentContentChangePartial(
    lsp.Range(lsp.Position(a, b), lsp.Position(c, d)), new),
    st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6), pieces)
"""A change at places that need not exist (a broken client): a range past the end, or backwards."""


class Session:
    """The client's side of one document: its text as the client holds it, and the server it talks to."""

    def __init__(self, editor: Editor, folder: Path, name: str):
        self.editor, self.folder, self.name = editor, folder, name
        self.text = (folder / name).read_text(encoding="utf-8")
        self.uri = editor.open(name, self.text)
        self.odd = False  # a line break the two sides count differently was ever sent in an incremental change

    def send(self, changes: list[lsp.TextDocumentContentChangeEvent]) -> None:
        self.editor.versions[self.uri] += 1
        self.editor.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(self.editor.versions[self.uri], self.uri), changes))

    async def published(self) -> list[lsp.Diagnostic]:
        """The diagnostics of the document's latest version (the server publishes each version it analyses)."""
        version = self.editor.versions[self.uri]
        await self.editor.until(lambda: self.editor.published.get(self.uri) == version,
                                f"diagnostics for version {version} of {self.name}")
        return self.editor.diagnostics[self.uri]

    async def ask(self, line: int, character: int) -> None:
        """Every request at one place: each answers (the editor fails the test on an error answer)."""
        where = lsp.Range(lsp.Position(line, character), lsp.Position(line, character))
        await self.editor.hover(self.uri, line, character)
        await self.editor.definition(self.uri, line, character)
        await self.editor.actions(self.uri, where, self.editor.diagnostics.get(self.uri, []))
        await self.editor.symbols(self.uri)


async def _step(session: Session, data, texts: dict[str, str]) -> None:
    kind = data.draw(st.sampled_from(["edit", "edit", "edit", "whole", "wild", "save", "ask"]), label="step")
    if kind == "edit":
        changes = []
        for _ in range(data.draw(st.integers(1, 3), label="changes")):
            session.odd |= not _lines_agree(session.text)  # the server splits this text's lines otherwise
            change, session.text = data.draw(partial(session.text), label="change")
            changes.append(change)
        session.send(changes)
    elif kind == "whole":
        session.text = data.draw(_whole(texts), label="text")
        session.odd = False
        session.send([lsp.TextDocumentContentChangeWholeDocument(session.text)])
    elif kind == "wild":  # the broken change, then the whole text again so both sides agree after it
        session.send([data.draw(wild, label="wild"), lsp.TextDocumentContentChangeWholeDocument(session.text)])
    elif kind == "save":
        session.editor.save(session.uri, session.name, session.text)
        return
    else:
        lines = session.text.split("\n")
        line = data.draw(st.integers(0, len(lines) + 2), label="line")
        await session.ask(line, data.draw(st.integers(0, 200), label="character"))
        return
    await session.published()


def _expected(folder: Path, name: str, text: str) -> list[lsp.Diagnostic]:
    """What the server should publish for `text` (no verdicts: an edit forgets them), found here in the
    server's working folder (hints name files relative to it)."""
    path = str(folder / name)
    with contextlib.chdir(folder):
        analysis = analyse(path, {path: text})
    return convert.front_end(analysis, Positions("utf-16"), lambda p: Path(os.path.abspath(p)).as_uri())


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    shutil.copytree(ROOT / "spec", folder / "spec")
    return folder


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example runs a server
@given(data=st.data())
def test_random_edits_of_the_spec_library_never_kill_the_server(library, data):
    texts = {name: (ROOT / "spec" / name).read_text(encoding="utf-8") for name in SPECS}
    for name, text in texts.items():  # each example starts from the library as it is (saves rewrite files)
        (library / "spec" / name).write_text(text, encoding="utf-8")
    name = data.draw(st.sampled_from(SPECS), label="file")
    steps = data.draw(st.integers(1, 25), label="steps")

    async def run() -> None:
        async with Editor(library / "spec", init_options={"timeout": 5}, log=library / "server.log") as editor:
            session = Session(editor, library / "spec", name)
            await session.published()
            for _ in range(steps):
                await _step(session, data, texts)
            session.send([lsp.TextDocumentContentChangePartial(  # a last edit: the verdicts of a save forgotten
                lsp.Range(_position(session.text, 0), _position(session.text, 0)), "")])
            found = await session.published()
            if not session.odd and _lines_agree(session.text):
                event("the server's text compared with the client's")
                wanted = _expected(library / "spec", name, session.text)
                assert found == wanted, [(d.range, d.code, d.message) for d in found if d not in wanted] + \
                    ["instead of"] + [(d.range, d.code, d.message) for d in wanted if d not in found]
            await session.ask(0, 0)
        assert "Traceback" not in (library / "server.log").read_text(encoding="utf-8")
    asyncio.run(run())
