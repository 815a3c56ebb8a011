"""`alignproof lsp` end to end: a real client (pygls's) drives the server process over stdio.

Each test starts the server in a project folder of its own, opens documents,
edits and saves them as an editor would, and reads what the server publishes
and answers. No test depends on the machine's speed: waits are for events.
"""
from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lspeditor import CHECK_TIMEOUT, Editor, apply, position_of
from lsprotocol import types as lsp

from translator.frontend.lexer import KEYWORDS as LEXER_KEYWORDS

ROOT = Path(__file__).resolve().parents[2]

BASE = """\
sort S
sort Sigma
sort Dist = {train, deploy}

# How good a state is, to the designers.
fun f: S -> Real
fun g: Sigma -> Real
"""

MAIN = """\
import "base.align"

pred p: S
axiom everywhere: forall x: S. p(x)

# Every state is fine.
claim fine: forall x: S. p(x)
claim nowhere: forall x: S. not p(x)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "base.align").write_text(BASE, encoding="utf-8")
    (tmp_path / "main.align").write_text(MAIN, encoding="utf-8")
    return tmp_path


def run(coroutine) -> None:
    asyncio.run(coroutine)


def at(text: str, needle: str, offset: int = 0, occurrence: int = 0) -> tuple[int, int]:
    p = position_of(text, needle, offset, occurrence)
    return p.line, p.character


def no_traceback(editor: Editor) -> None:
    """Nothing the client was sent mentions a traceback, and the server logged none."""
    assert not [m.message for m in editor.messages if "Traceback" in m.message]
    assert "Traceback" not in (editor.log.read_text(encoding="utf-8") if editor.log.exists() else "")


# ---------------------------------------------------------------- diagnostics while typing

def test_a_type_error_is_shown_on_open_and_goes_when_fixed(project):
    async def session():
        async with Editor(project) as editor:
            wrong = MAIN + "claim typo: forall x: S. pp(x)\n"
            uri = editor.open("main.align", wrong)
            [diag] = await editor.diagnostics_of(uri, bool, "the undeclared name")
            assert diag.code == "undeclared" and diag.severity == lsp.DiagnosticSeverity.Error
            assert diag.source == "alignproof"
            assert (diag.range.start, diag.range.end) == (position_of(wrong, "pp(x)"), position_of(wrong, "pp(x)", 2))
            assert diag.message == "'pp' is not declared\nhelp: did you mean 'p'?"
            editor.replace(uri, MAIN)
            assert await editor.diagnostics_of(uri, lambda d: not d, "no diagnostics") == []
            no_traceback(editor)
    run(session())


def test_a_request_right_after_a_change_does_not_swallow_its_diagnostics(project):
    """Editors ask for symbols and code actions as soon as the text changes: the analysis that answers them
    (before the pause in typing is over) publishes the new version's diagnostics too."""
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align")
            await editor.diagnostics_of(uri, lambda d: True, "the first diagnostics")
            editor.replace(uri, MAIN + "claim typo: forall x: S. pp(x)\n")
            await editor.symbols(uri)
            await editor.until(lambda: editor.published.get(uri) == 2, "the diagnostics of version 2")
            assert [d.code for d in editor.diagnostics[uri]] == ["undeclared"]
    run(session())


def test_parse_and_type_errors_come_at_once(project):
    text = MAIN + "claim broken: forall x: S. p(x) and\nclaim wrong: q(1)\n"
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", text)
            found = await editor.diagnostics_of(uri, lambda d: len(d) >= 2, "two errors")
            assert {d.code for d in found} == {"syntax", "undeclared"}
            assert [d.range.start.line for d in found] == [8, 9]
    run(session())


def test_an_import_reads_the_unsaved_buffer_of_an_open_document(project):
    uses_h = MAIN + "claim about_h: forall x: S. h(x) >= 1\n"
    async def session():
        async with Editor(project) as editor:
            main = editor.open("main.align", uses_h)
            [diag] = await editor.diagnostics_of(main, bool, "h undeclared")
            assert diag.code == "undeclared"
            editor.open("base.align", BASE + "fun h: S -> Int\n")  # not saved: the disk has no h
            await editor.diagnostics_of(main, lambda d: not d, "h found in the unsaved base.align")
            editor.close(editor.uri("base.align"))
            [diag] = await editor.diagnostics_of(main, bool, "h undeclared again (base.align from disk)")
            assert diag.code == "undeclared"
    run(session())


def test_an_error_in_an_imported_file_is_shown_at_the_import(project):
    (project / "base.align").write_text(BASE + "fun broken S -> S\n", encoding="utf-8")
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align")
            [diag] = await editor.diagnostics_of(uri, bool, "the error of base.align")
            assert diag.code == "syntax" and diag.range.start.line == 0
            assert diag.message.startswith("in base.align:8:")
            [related] = diag.related_information
            assert related.location.uri == editor.uri("base.align") and related.location.range.start.line == 7
    run(session())


# ---------------------------------------------------------------- hover, definition, symbols

def test_hover_shows_the_declaration_and_its_doc_comment(project):
    async def session():
        async with Editor(project) as editor:
            text = MAIN + "claim ranks: agree(f, f)\n"
            uri = editor.open("main.align", text)
            await editor.diagnostics_of(uri, lambda d: True, "the first diagnostics")
            shown = await editor.hover(uri, *at(text, "f, f"))
            assert shown.contents.kind == lsp.MarkupKind.Markdown
            assert "```align\nfun f: S -> Real\n```" in shown.contents.value
            assert "How good a state is, to the designers." in shown.contents.value
            assert "declared in `base.align`" in shown.contents.value
            bound = await editor.hover(uri, *at(text, "x)", occurrence=0))
            assert "x: S" in bound.contents.value and "forall" in bound.contents.value
            builtin = await editor.hover(uri, *at(text, "agree"))
            assert "agree(f, g via b)" in builtin.contents.value
            claim = await editor.hover(uri, *at(text, "claim fine", 6))
            assert "claim fine: forall x: S. p(x)" in claim.contents.value
            assert "Every state is fine." in claim.contents.value
            assert "not checked yet" in claim.contents.value
            keyword = await editor.hover(uri, 2, 2)  # `pred p: S` at its keyword: the declaration
            assert keyword.contents.value.startswith("```align\npred p: S\n```")
            on_claim = await editor.hover(uri, *at(text, "claim fine", 2))
            assert "not checked yet" in on_claim.contents.value
            assert await editor.hover(uri, 1, 0) is None       # an empty line
    run(session())


READINGS = MAIN + """
reading strict:
  drop axiom everywhere
  axiom somewhere: exists x: S. p(x)
end
claim some: exists x: S. p(x)
  expect proved in strict
"""


def test_a_readings_parts_are_its_symbols_and_its_names_lead_to_their_declarations(project):
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", READINGS)
            symbols = await editor.symbols(uri)
            [strict] = [s for s in symbols if s.name == "strict"]
            assert [(c.name, c.kind) for c in strict.children or ()] == [("somewhere", lsp.SymbolKind.Property)]
            [dropped] = await editor.definition(uri, *at(READINGS, "everywhere", occurrence=1))
            assert dropped.range.start == position_of(READINGS, "everywhere")
            [reading] = await editor.definition(uri, *at(READINGS, "strict", occurrence=1))
            assert reading.range.start == position_of(READINGS, "strict")
    run(session())


def test_definition_goes_across_an_import(project):
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align")
            await editor.diagnostics_of(uri, lambda d: True, "the first diagnostics")
            [target] = await editor.definition(uri, *at(MAIN, "S.", occurrence=0))
            assert target.uri == editor.uri("base.align")
            assert (target.range.start, target.range.end) == (lsp.Position(0, 5), lsp.Position(0, 6))
            [local] = await editor.definition(uri, *at(MAIN, "p(x)", occurrence=1))
            assert local.uri == uri and local.range.start == lsp.Position(2, 5)
            [binder] = await editor.definition(uri, *at(MAIN, "x)", occurrence=1))
            assert binder.range.start == position_of(MAIN, "x: S", occurrence=1)
            [file] = await editor.definition(uri, *at(MAIN, "base.align"))
            assert file.uri == editor.uri("base.align")
    run(session())


def test_document_symbols_list_every_declaration(project):
    async def session():
        async with Editor(project) as editor:
            base = editor.open("base.align")
            symbols = await editor.symbols(base)
            assert [(s.name, s.kind) for s in symbols] == [
                ("S", lsp.SymbolKind.Class), ("Sigma", lsp.SymbolKind.Class), ("Dist", lsp.SymbolKind.Enum),
                ("f", lsp.SymbolKind.Function), ("g", lsp.SymbolKind.Function)]
            assert [(c.name, c.kind) for c in symbols[2].children] == [
                ("train", lsp.SymbolKind.EnumMember), ("deploy", lsp.SymbolKind.EnumMember)]
            assert symbols[3].detail == "fun: S -> Real"
            main = editor.open("main.align", MAIN + 'def ok(x: S) := p(x)\nexample some: exists x: S. ok(x)\n'
                               "bridge b: Sigma -> S\nconst c: S\n")
            kinds = [(s.name, s.kind) for s in await editor.symbols(main)]
            assert kinds == [("p", lsp.SymbolKind.Boolean), ("everywhere", lsp.SymbolKind.Property),
                             ("fine", lsp.SymbolKind.Event), ("nowhere", lsp.SymbolKind.Event),
                             ("ok", lsp.SymbolKind.Method), ("some", lsp.SymbolKind.Object),
                             ("b", lsp.SymbolKind.Interface), ("c", lsp.SymbolKind.Constant)]
    run(session())


SPEC_FILES = sorted((ROOT / "spec").glob("*.align"))
KEYWORDS = set("sort const fun pred bridge def axiom claim example import expect within forall exists not and "
               "or if then else true false via proved counterexample witness none Real Int Bool agree agree_on "
               "maximizes injective surjective".split()) | set(LEXER_KEYWORDS)


@pytest.mark.parametrize("spec", SPEC_FILES, ids=[p.name for p in SPEC_FILES])
def test_every_name_of_the_spec_library_goes_to_its_declaration(spec, tmp_path):
    """Each identifier written in a spec file (comments and strings aside) has a definition, and the
    place it leads to spells the same name."""
    text = spec.read_text(encoding="utf-8")
    async def session():
        async with Editor(ROOT, log=tmp_path / "server.log") as editor:
            uri = editor.open(str(spec.relative_to(ROOT)))
            assert await editor.diagnostics_of(uri, lambda d: True, "the diagnostics") == []
            declared = re.findall(r"^(?:sort|const|fun|pred|bridge|def|axiom|lemma|reading|claim|example) ", text, re.M)
            assert len(await editor.symbols(uri)) == len(declared)
            files: dict[str, list[str]] = {}
            for number, line in enumerate(text.split("\n")):
                code = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), line.split("#", 1)[0])
                for match in re.finditer(r"[A-Za-z_][A-Za-z0-9_']*", code):
                    if match.group() in KEYWORDS:
                        continue
                    found = await editor.definition(uri, number, match.start() + 1)
                    assert len(found) == 1, (number + 1, match.group())
                    target = found[0]
                    path = Path(target.uri.removeprefix("file://"))
                    lines = files.setdefault(target.uri, path.read_text(encoding="utf-8").split("\n"))
                    start, end = target.range.start, target.range.end
                    assert lines[start.line][start.character:end.character] == match.group(), (number + 1, match)
            no_traceback(editor)
    run(session())


# ---------------------------------------------------------------- the bridge fix

def test_the_fix_for_a_domain_mismatch_declares_a_bridge(project):
    text = MAIN + "\n# The designers' and the system's rankings agree.\nclaim robust: agree(f, g)\n"
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", text)
            [diag] = await editor.diagnostics_of(uri, bool, "the domain mismatch")
            assert diag.code == "domain-mismatch" and "bridge b: Sigma -> S" in diag.message
            [action] = await editor.actions(uri, diag.range, [diag])
            assert action.kind == lsp.CodeActionKind.QuickFix.value and list(action.diagnostics) == [diag]
            assert action.title == "Declare `bridge sigma_to_s: Sigma -> S` and write `g via sigma_to_s`"
            fixed = apply(text, action.edit.changes[uri])
            assert "pred p: S\nbridge sigma_to_s: Sigma -> S\naxiom" in fixed
            assert fixed.endswith("claim robust: agree(f, g via sigma_to_s)\n")
            editor.edit(uri, list(action.edit.changes[uri]))
            await editor.diagnostics_of(uri, lambda d: not d, "no error after the fix")
            assert not await editor.actions(uri, diag.range, [])
            assert "sigma_to_s" in [s.name for s in await editor.symbols(uri)]
    run(session())


def test_the_fix_uses_a_bridge_that_is_declared(project):
    text = MAIN + "bridge view: Sigma -> S\nclaim robust: agree_on(q, f, g)\npred q: Sigma\n"
    text = text.replace("pred q: Sigma\n", "").replace("bridge view", "pred q: Sigma\nbridge view")
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", text)
            [diag] = await editor.diagnostics_of(uri, bool, "the domain mismatch")
            [action] = await editor.actions(uri, diag.range, [diag])
            assert action.title == "Write `g via view` (bridge view: Sigma -> S is declared)"
            fixed = apply(text, action.edit.changes[uri])
            assert fixed.count("bridge") == 1 and "agree_on(q, f, g via view)" in fixed
            editor.replace(uri, fixed)
            await editor.diagnostics_of(uri, lambda d: not d, "no error after the fix")
    run(session())


@pytest.mark.parametrize("line, title, fixed", [
    ("fn h: S -> S", "Write `fun` for `fn`", "fun h: S -> S"),
    ("claim both: forall x: S. p(x)&&p(x)", "Write `and` for `&&`", "claim both: forall x: S. p(x) and p(x)"),
    ("claim typo: forall x: S. pp(x)", "Write `p` for `pp`", "claim typo: forall x: S. p(x)"),
    ("claim same: forall x: S. p(x) iff p(x)", "Write `<->` for `iff`", "claim same: forall x: S. p(x) <-> p(x)"),
])
def test_the_fix_for_a_misspelling_writes_the_spelling_the_help_names(project, line, title, fixed):
    text = MAIN + line + "\n"
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", text)
            [diag] = await editor.diagnostics_of(uri, bool, "the misspelling")
            [action] = await editor.actions(uri, diag.range, [diag])
            assert action.kind == lsp.CodeActionKind.QuickFix.value and list(action.diagnostics) == [diag]
            assert action.title == title
            mended = apply(text, action.edit.changes[uri])
            assert mended == MAIN + fixed + "\n"
            editor.replace(uri, mended)
            await editor.diagnostics_of(uri, lambda d: not d, "no error after the fix")
    run(session())


def test_no_spelling_fix_where_the_help_names_no_one_spelling(project):
    text = MAIN + "claim odd: forall x: S. p(x) xor p(x)\n"
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align", text)
            [diag] = await editor.diagnostics_of(uri, bool, "the operator word")
            assert diag.code == "syntax"
            assert not await editor.actions(uri, diag.range, [diag])
    run(session())


# ---------------------------------------------------------------- verdicts on save

def test_a_save_shows_the_verdicts_and_hover_the_last_one(project):
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align")
            await editor.diagnostics_of(uri, lambda d: True, "the first diagnostics")
            editor.save(uri, "main.align", MAIN)
            [diag] = await editor.diagnostics_of(uri, bool, "the counterexample")
            assert diag.code == "counterexample" and diag.severity == lsp.DiagnosticSeverity.Error
            assert diag.range.start == position_of(MAIN, "nowhere")
            assert diag.message.startswith("claim nowhere: counterexample (expected proved): ")
            assert "p(" in diag.message
            await editor.message("1 ok, 1 failed")
            fine = await editor.hover(uri, *at(MAIN, "claim fine", 6))
            assert "**last verdict**: claim fine: proved; used: everywhere" in fine.contents.value
            nowhere = await editor.hover(uri, *at(MAIN, "claim nowhere"))
            assert "counterexample (expected proved)" in nowhere.contents.value
            editor.replace(uri, MAIN + "\n")
            await editor.diagnostics_of(uri, lambda d: not d, "the verdicts forgotten after an edit")
            stale = await editor.hover(uri, *at(MAIN, "claim fine", 6))
            assert "proved" in stale.contents.value and "changed since" in stale.contents.value
            no_traceback(editor)
    run(session())


def test_a_save_reuses_a_proof_record_and_this_session_answers(project):
    recorded = subprocess.run([sys.executable, "-m", "translator", "check", "--record", "main.align",
                               "--timeout", str(CHECK_TIMEOUT)],  # the server's: a record's options must match
                              cwd=project, capture_output=True, text=True, timeout=300)
    assert recorded.returncode == 1 and (project / "proofs" / "main.align.json").exists()
    record = json.loads((project / "proofs" / "main.align.json").read_text(encoding="utf-8"))
    assert record["claims"]["fine"]["verdict"] == "proved"

    async def session():
        async with Editor(project) as editor:
            uri = editor.open("main.align")
            editor.save(uri, "main.align", MAIN)
            await editor.message("1 ok, 1 failed")
            fine = await editor.hover(uri, *at(MAIN, "claim fine", 6))
            assert "confirmed from its proof record" in fine.contents.value
            editor.save(uri, "main.align", MAIN)
            await editor.until(lambda: sum("1 ok, 1 failed" in m.message for m in editor.messages) == 2,
                               "a second check")
            again = await editor.hover(uri, *at(MAIN, "claim fine", 6))
            assert "earlier check of this session" in again.contents.value
    run(session())


CLASH = """\
sort S
pred p: S
axiom yes: forall x: S. p(x)
axiom no: forall x: S. not p(x)
claim c: forall x: S. p(x)
"""


def test_inconsistent_axioms_are_an_error_and_their_claims_unknown(project):
    (project / "clash.align").write_text(CLASH, encoding="utf-8")
    async def session():
        async with Editor(project) as editor:
            uri = editor.open("clash.align")
            await editor.diagnostics_of(uri, lambda d: not d, "no input error")
            editor.save(uri, "clash.align", CLASH)
            found = await editor.diagnostics_of(uri, lambda d: len(d) == 2, "the verdict and the clash")
            by_code = {d.code: d for d in found}
            unknown, clash = by_code["unknown"], by_code["inconsistent-axioms"]
            assert unknown.severity == lsp.DiagnosticSeverity.Warning
            assert unknown.range.start == position_of(CLASH, "c:")
            assert unknown.message == "claim c: unknown (expected proved): the axioms are inconsistent: yes, no"
            assert clash.severity == lsp.DiagnosticSeverity.Error and clash.range.start == lsp.Position(2, 0)
            assert "\nhelp: remove or weaken one of these axioms" in clash.message
    run(session())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8"])
def test_columns_are_counted_in_the_agreed_units(project, encoding):
    """UTF-16 by default; UTF-32 or UTF-8 when the client offers only that."""
    text = "sort S\npred p: S\nclaim c: ∀ x: 𝔹. ∀ y: 𝔹. x ∧ qq(y)\n"
    offered = None if encoding == "utf-16" else [lsp.PositionEncodingKind(encoding)]
    async def session():
        async with Editor(project, encodings=offered) as editor:
            assert editor.capabilities.position_encoding == encoding
            uri = editor.open("wide.align", text)
            found = await editor.diagnostics_of(uri, bool, "the errors")
            line = text.split("\n")[2]
            units = {"utf-16": 2, "utf-32": 4, "utf-8": 1}[encoding]
            wanted = len(line[:line.index("qq")].encode(f"{encoding}-le" if units > 1 else encoding)) // units
            undeclared = next(d for d in found if d.code == "undeclared" and "qq" in d.message)
            assert undeclared.range.start == lsp.Position(2, wanted)
            assert wanted == line.index("qq") + {"utf-16": 2, "utf-32": 0, "utf-8": 2 + 2 + 2 + 3 + 3}[encoding]  # ∀ ∀ ∧, 𝔹 𝔹
            assert undeclared.range.end == lsp.Position(2, wanted + 2)
            shown = await editor.hover(uri, 2, wanted + len("qq("))  # on the `y` after the wide letters
            assert "y: Bool" in shown.contents.value and shown.range.start == lsp.Position(2, wanted + 3)
    run(session())


PIGEONS = ("sort P = {" + ", ".join(f"p{i}" for i in range(1, 17)) + "}\n"
           "sort H = {" + ", ".join(f"h{i}" for i in range(1, 16)) + "}\n"
           "fun f: P -> H\n"
           "claim crowded: exists a, b: P. a != b and f(a) = f(b)\n")


def test_a_stale_check_is_cancelled_without_blocking_the_editor(project):
    """Sixteen pigeons in fifteen holes: a proof exponential in the holes for a solver like Z3 (eleven
    in ten take it seconds, fourteen in thirteen over a minute), far longer than the test runs."""
    (project / "pigeons.align").write_text(PIGEONS, encoding="utf-8")
    async def session():
        async with Editor(project, init_options={"timeout": 600}) as editor:
            uri = editor.open("pigeons.align")
            await editor.diagnostics_of(uri, lambda d: not d, "no error")
            editor.save(uri, "pigeons.align", PIGEONS)
            await editor.until(lambda: editor.logged("checking"), "the check started")
            shown = await editor.hover(uri, *at(PIGEONS, "crowded"))
            assert "not checked yet" in shown.contents.value  # answered while the check runs
            editor.replace(uri, PIGEONS + "\n")
            await editor.until(lambda: editor.logged("was cancelled"), "the check cancelled")
            main = editor.open("main.align")
            editor.save(main, "main.align", MAIN)
            await editor.message("1 ok, 1 failed")  # a fresh worker answers the next check
            assert not any("pigeons" in m.message and "checked" in m.message for m in editor.messages)
            assert editor.diagnostics[uri] == []
    run(session())


# ---------------------------------------------------------------- malformed input

MALFORMED = [
    "",
    "\x00\x01\x02 sort",
    "claim",
    "claim c: " + "(" * 3000 + "true" + ")" * 3000,
    "claim c: " + "not " * 5000 + "true",
    'import "',
    'import "\x00"',
    'import "/etc/passwd"',
    'import "missing.align"',
    "sort 𝔹𝔹 = {",
    "fun f: 𝔹 -> ℝ\nclaim c: ∀ x: 𝔹. f(x) ≥ 1.5 ∧ agree(f, f via f)",
    "def d(x: S) := d(x)\nsort S",
    "claim c: agree(f, g)\nfun f: S -> Real",
    "sort S\nsort S\nclaim c: forall x: S. x = x expect maybe within 0",
    "a" * 20000,
    "claim c: " + "+".join(["1"] * 3000) + " = 0",
    "import \"main.align\"\n" * 3,
]


def test_malformed_documents_never_crash_the_server(project):
    async def session():
        async with Editor(project) as editor:
            for number, text in enumerate(MALFORMED):
                name = f"bad{number}.align"
                uri = editor.open(name, text)
                await editor.diagnostics_of(uri, lambda d: True, f"the diagnostics of {name}")
                lines = text.split("\n")
                places = [(0, 0), (0, 5), (0, 12), (len(lines) - 1, len(lines[-1])), (len(lines) + 3, 80)]
                for line, character in places:
                    await editor.hover(uri, line, character)
                    await editor.definition(uri, line, character)
                    where = lsp.Range(lsp.Position(line, character), lsp.Position(line, character))
                    await editor.actions(uri, where, editor.diagnostics[uri])
                await editor.symbols(uri)
                editor.save(uri, name, text)
                editor.replace(uri, text[: len(text) // 2])
                editor.close(uri)
            uri = editor.open("main.align")
            assert (await editor.hover(uri, *at(MAIN, "claim fine", 6))) is not None  # still serving
            no_traceback(editor)
    run(session())
