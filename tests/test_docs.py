"""The user's reference in docs/ is kept true: its examples run, its lists match the code.

- language.md: every `align` block parses, type-checks and meets its stated
  expectations; the operator table parses in both spellings; every token the
  lexer knows, every keyword and every built-in is listed.
- errors.md: one entry per error code of the code and no other; each entry's
  example produces its code and the lines it shows.
- commands.md: every option of every `--help`, of the pytest plugin, every
  pre-commit hook and every environment variable the code reads is there.
- json.md and schema/check.schema.json: every JSON document `check` prints in
  the cases below validates; corrupted ones do not.
- tutorial.md: each stage, checked with the real command line, says what the
  page says it does.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from mdblocks import DOCS, ROOT, blocks, code_spans, page, schema_fields, sections, tables, unquote

from translator.cli import dispatch
from translator.frontend import lexer
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile
from translator.frontend.typecheck_util import RESERVED_NAMES
from translator.logic import core
from translator.pipeline import front_end

GOLDEN = ROOT / "tests" / "golden"
SPEC = ROOT / "spec"


class _Terminal(io.StringIO):
    """A captured stream that says it is UTF-8, as a terminal's is: results show ✓ and ✗."""

    @property
    def encoding(self) -> str:
        return "utf-8"


def cli(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    """`alignproof ARGV` in this process (from `cwd`): exit status, stdout, stderr."""
    out, err = _Terminal(), _Terminal()
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        status = dispatch(argv, out, err)
    finally:
        os.chdir(before)
    return status, out.getvalue(), err.getvalue()


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """A command line of a page, run from `cwd`, with `alignproof` meaning this checkout."""
    words = shlex.split(command)
    if words and words[0] == "alignproof":
        command = " ".join([shlex.quote(sys.executable), "-m", "translator", *map(shlex.quote, words[1:])])
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def formula(text: str, context: str = ""):
    """The syntax tree of `text` as a claim's formula (after the declarations of `context`)."""
    module, diags = parse_source(SourceFile("t.align", f"{context}\nclaim t: {text}\n"))
    assert not diags, f"{text!r} does not parse: {[d.message for d in diags]}"
    return module.decls[-1].formula


def type_errors(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "t.align"
    path.write_text(text, encoding="utf-8")
    _, diags, _ = front_end([str(path)])
    return [f"{d.code}: {d.message}" for d in diags]


# ---------------------------------------------------------------- language.md

LANGUAGE = page("language.md")
LANGUAGE_SECTIONS = sections(LANGUAGE)


def test_language_has_its_sections():
    for title in ("Lexical", "Declarations", "Formulas and terms", "Operators", "Built-ins", "Verdicts",
                  "What the language does not do"):
        assert title in LANGUAGE_SECTIONS, title


def _align_blocks(text: str):
    return [b for b in blocks(text) if b.lang == "align"]


@pytest.mark.parametrize("block", _align_blocks(LANGUAGE), ids=lambda b: f"line{b.line}")
def test_language_examples_check_and_meet_their_expectations(block, tmp_path):
    # Blocks that name a file (`# file: NAME`) are written under that name, with every such block
    # before them, so that a later one can import an earlier one.
    for earlier in _align_blocks(LANGUAGE):
        if earlier.line >= block.line:
            break
        named = re.match(r"# file: (\S+)\n", earlier.code)
        if named:
            (tmp_path / named.group(1)).write_text(earlier.code, encoding="utf-8")
    named = re.match(r"# file: (\S+)\n", block.code)
    path = tmp_path / (named.group(1) if named else "example.align")
    path.write_text(block.code, encoding="utf-8")
    status, out, err = cli(["check", "--format", "json", path.name], cwd=tmp_path)
    doc = json.loads(out)
    assert doc["errors"] == [], err
    assert status == 0 and all(r["ok"] for r in doc["results"]), out
    for result in doc["results"]:  # a comment above a query that names its verdict is true
        said = re.search(rf"# (\w+)[^\n]*\n(?:claim|example) {result['name']}:", block.code)
        if said and said.group(1) in ("proved", "counterexample", "bounded", "witness", "none"):
            assert result["verdict"] == said.group(1), result["name"]
        used = re.search(r"used: ([\w, ]+)\n", said.group(0)) if said else None
        if used:
            assert result["used"] == used.group(1).split(", "), result["name"]
        if said and "vacuous" in said.group(0):
            assert any(w.startswith("vacuous:") for w in result.get("warnings", ())), result["name"]


def _operator_rows() -> list[dict[str, str]]:
    header, *rows = tables(LANGUAGE_SECTIONS["Operators"])[0]
    return [dict(zip(header, (unquote(c) for c in row))) for row in rows]


OPERATOR_CONTEXT = _align_blocks(LANGUAGE_SECTIONS["Operators"])[0].code


def _token_types(text: str) -> set[str]:
    return {t.type for t in lexer.tokenize(SourceFile("t.align", text)).tokens}


@pytest.mark.parametrize("row", _operator_rows(), ids=lambda r: f"{r['level']}:{r['ASCII']}")
def test_every_operator_of_the_table_parses_in_both_spellings(row, tmp_path):
    ascii_example, unicode_example = row["example (ASCII)"], row["example (Unicode)"]
    tree = formula(ascii_example, OPERATOR_CONTEXT)
    assert type_errors(f"{OPERATOR_CONTEXT}\nclaim t: {ascii_example}\n", tmp_path) == []
    spelling = row["ASCII"].split()[0].split("(")[0]
    if spelling in lexer.SYMBOLS or spelling in lexer.KEYWORDS:
        assert _token_types(spelling) <= _token_types(ascii_example), (spelling, ascii_example)
    if row["Unicode"] != "—":
        assert row["Unicode"] in unicode_example
        assert _token_types(row["Unicode"]) == _token_types(spelling)
        assert formula(unicode_example, OPERATOR_CONTEXT) == tree


@pytest.mark.parametrize("written, reads_as", [row for row in tables(LANGUAGE_SECTIONS["Operators"])[1][1:]])
def test_precedence_examples_read_as_stated(written, reads_as):
    assert formula(unquote(written), OPERATOR_CONTEXT) == formula(unquote(reads_as), OPERATOR_CONTEXT)


def test_every_symbol_the_lexer_knows_is_listed():
    spans = set(code_spans(LANGUAGE))
    missing = [s for s in [*lexer.SYMBOLS, *lexer.TYPE_SYMBOLS] if s not in spans]
    assert missing == []


def _paragraph(section: str, lead: str) -> str:
    return next(p for p in LANGUAGE_SECTIONS[section].split("\n\n") if p.startswith(lead))


def test_the_keyword_list_is_the_lexers():
    assert set(code_spans(_paragraph("Lexical", "**Keywords**"))) == set(lexer.KEYWORDS)


def test_the_reserved_names_are_the_type_checkers():
    assert set(code_spans(_paragraph("Lexical", "**Reserved names.**"))) == set(RESERVED_NAMES)


def test_every_keyword_and_operator_occurs_in_a_checked_example():
    seen: set[str] = set()
    for block in _align_blocks(LANGUAGE):
        seen |= _token_types(block.code)
    for row in _operator_rows():
        seen |= _token_types(row["example (ASCII)"]) | _token_types(row["example (Unicode)"].replace("—", ""))
    wanted = {k.upper() for k in lexer.KEYWORDS} | set(lexer.SYMBOLS.values())
    assert wanted - seen == set()
    written = "".join(b.code for b in _align_blocks(LANGUAGE))
    assert [s for s in [*lexer.SYMBOLS, *lexer.TYPE_SYMBOLS] if s not in written] == []


def test_every_built_in_has_a_row_and_a_checked_meaning():
    header, *rows = tables(LANGUAGE_SECTIONS["Built-ins"])[0]
    assert header == ["built-in", "type rule", "means"]
    assert {unquote(r[0]).split("(")[0] for r in rows} == set(core.BUILTINS)
    checked = " ".join(re.sub(r"\n +", " ", b.code) for b in _align_blocks(LANGUAGE_SECTIONS["Built-ins"]))
    for built_in, _, meaning in rows:  # each row is a claim proved in the blocks of the section
        assert f"{unquote(built_in)} <-> ({unquote(meaning)})" in checked, built_in


# ---------------------------------------------------------------- errors.md

ERRORS = sections(page("errors.md"), "###")
TIME = re.compile(r"\d+\.\d+s\b")
DEVIATIONS: dict[str, str] = {}
"""Codes whose example is reported today under another code (the page says so)."""
UNTRIGGERABLE = {"solver-disagreement"}
"""Codes no spec produces on purpose (cvc5 contradicting z3 about the axioms)."""


def codes_in_the_code() -> set[str]:
    """The codes of diagnostics.py, and every literal code a `Diagnostic(...)` is built with elsewhere."""
    from translator.frontend import diagnostics

    found = {v for k, v in vars(diagnostics).items() if k.isupper() and isinstance(v, str)}
    for path in (ROOT / "translator").rglob("*.py"):
        found |= set(re.findall(r'Diagnostic\(\s*"([a-z-]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_error_code_is_listed_and_every_listed_code_exists():
    assert set(ERRORS) == codes_in_the_code()


def _shown_in_order(shown: list[str], output: str) -> None:
    """Each line shown on the page occurs in the output, in the page's order (times blanked)."""
    lines = [TIME.sub("#s", line.rstrip()) for line in output.splitlines()]
    position = 0
    for line in shown:
        line = TIME.sub("#s", line.rstrip())
        assert line in lines[position:], f"not in the output (in this order): {line!r}\n{output}"
        position = lines.index(line, position) + 1


@pytest.mark.parametrize("code", sorted(set(ERRORS) - UNTRIGGERABLE))
def test_each_error_example_gives_its_code(code, tmp_path):
    found = blocks(ERRORS[code])
    spec = [b.code for b in found if b.lang == "align"]
    console = [b.code for b in found if b.lang == "console"]
    text = [b.code for b in found if b.lang == "text"]
    assert len(spec) + len(console) >= 1 and len(spec) <= 1 and len(console) + len(text) == 1, code
    if spec:
        (tmp_path / "spec.align").write_text(spec[0], encoding="utf-8")
    if console:
        lines = console[0].splitlines()
        commands = [line[2:] for line in lines if line.startswith("$ ")]
        for command in commands:
            done = shell(command, tmp_path)
        output = done.stderr + done.stdout
        shown = [line for line in lines[lines.index("$ " + commands[-1]) + 1:]]
    else:
        status, out, err = cli(["check", "spec.align"], cwd=tmp_path)
        output = err + out
        shown = text[0].splitlines()
    expected = DEVIATIONS.get(code, code)
    assert f"[{expected}]" in output or f'"code": "{expected}"' in output, output
    _shown_in_order(shown, output)


def test_the_untriggerable_codes_are_explained_without_an_example():
    for code in UNTRIGGERABLE:
        assert not blocks(ERRORS[code]) and "No spec produces it" in " ".join(ERRORS[code].split())


# ---------------------------------------------------------------- commands.md

COMMANDS = page("commands.md")
COMMANDS_SECTIONS = sections(COMMANDS)
_OPTION = re.compile(r"(?<![\w-])(--?[a-z][\w-]*)")


def _help(*argv: str) -> str:
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit):
        dispatch([*argv, "--help"], io.StringIO(), io.StringIO())
    return shown.getvalue()


def _options(help_text: str) -> set[str]:
    listed = help_text.split("options:", 1)[1].split("exit status:", 1)[0]
    return {m for line in listed.splitlines() if line.startswith("  -") for m in _OPTION.findall(line)}


def _documented(option: str, text: str) -> bool:
    return any(re.match(rf"{re.escape(option)}(?![\w-])", span) for span in code_spans(text))


@pytest.mark.parametrize("command", ["", "check", "report", "audit", "lsp", "explore", "suggest", "matrix"])
def test_every_option_of_every_help_is_documented(command):
    options = _options(_help(*([command] if command else [])))
    assert len(options) >= 2
    where = COMMANDS_SECTIONS[f"alignproof {command}"] if command else COMMANDS
    assert sorted(o for o in options if not _documented(o, where)) == []


def test_every_command_has_a_section_and_the_coming_ones_are_marked():
    listed = _help().split("COMMAND\n", 2)[-1].split("options:")[0]
    for name in re.findall(r"^    (\w+) ", listed, re.M):
        assert f"alignproof {name}" in COMMANDS_SECTIONS
    coming = sections(COMMANDS_SECTIONS.get("Coming commands", ""), "###")
    for name in re.findall(r"^    (\w+) ", listed, re.M):
        assert f"alignproof {name}" not in coming, f"{name} has landed but is listed as coming"


def test_the_pytest_plugin_options_are_documented():
    source = (ROOT / "translator" / "pytest_plugin.py").read_text(encoding="utf-8")
    names = re.findall(r'addoption\(\s*"([\w-]+)"', source) + re.findall(r'addini\(\s*"(\w+)"', source)
    assert len(names) == 6
    assert [n for n in names if not _documented(n, COMMANDS_SECTIONS["The pytest plugin"])] == []


def test_the_pre_commit_hooks_are_documented():
    hooks = re.findall(r"^- id: (\S+)", (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"), re.M)
    assert hooks and all(f"`{h}`" in COMMANDS_SECTIONS["pre-commit hooks"] for h in hooks)


def test_every_environment_variable_read_is_documented():
    found = set()
    for folder in ("translator", "tests", "tools", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r'os\.environ(?:\.get|\.setdefault)?\(\s*"(\w+)"', text))
            found |= set(re.findall(r'os\.environ\[\s*"(\w+)"', text))
            found |= set(re.findall(r'"(\w+)" (?:not )?in os\.environ', text))
    found -= {"PYTHONPATH", "PYTHONHASHSEED"}  # set by tests for the processes they start
    assert {"ALIGNPROOF_JOBS", "ALIGNPROOF_CACHE", "ALIGNPROOF_DEBUG"} <= found
    section = COMMANDS_SECTIONS["Environment variables"]  # both tables: the tool's and the tests'
    assert sorted(v for v in found if f"`{v}`" not in section) == []


def test_every_exit_status_is_documented():
    from translator import cli as command_line

    statuses = {v for k, v in vars(command_line).items() if k.startswith("EXIT_")}
    table = tables(COMMANDS_SECTIONS["Exit status"])[0]
    assert {int(unquote(row[0])) for row in table[1:]} == statuses


# ---------------------------------------------------------------- schema/check.schema.json and json.md

SCHEMA = json.loads((DOCS / "schema" / "check.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def valid_document(argv: list[str], cwd: Path = ROOT) -> tuple[int, dict]:
    """The JSON document of `alignproof ARGV --format json`, after checking it against the schema."""
    status, out, err = cli([*argv[:1], "--format", "json", *argv[1:]], cwd=cwd)
    doc = json.loads(out)
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert doc["summary"]["total"] == len(doc["results"]) == doc["summary"]["ok"] + doc["summary"]["failed"]
    assert doc["summary"]["ok"] == sum(r["ok"] for r in doc["results"])
    assert (status == 2) == (doc["results"] == [] and doc["errors"] != [])
    return status, doc


def test_the_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schemas_codes_and_verdicts_are_the_codes():
    from translator.check.results import Verdict

    defs = SCHEMA["$defs"]
    assert set(defs["verdict"]["enum"]) == {v.value for v in Verdict}
    assert set(defs["error"]["properties"]["code"]["enum"]) == codes_in_the_code()


@pytest.mark.parametrize("spec", sorted(p.name for p in SPEC.glob("*.align")))
def test_the_spec_library_documents_validate(spec):
    status, doc = valid_document(["check", f"spec/{spec}"])
    assert status == 0 and doc["results"] and "drift" in doc  # proofs/spec/ holds its records


@pytest.mark.parametrize("golden", sorted(p.name for p in GOLDEN.glob("*.align")))
def test_the_golden_documents_validate(golden):
    valid_document(["check", golden], cwd=GOLDEN)


def test_a_usage_error_document_validates():
    status, doc = valid_document(["check", "--timeout", "0", "spec/essay.align"])
    assert status == 2 and doc["errors"][0]["code"] == "usage" and "drift" not in doc


def test_an_input_error_document_validates():
    status, doc = valid_document(["check", "no/such.align"])
    assert status == 2 and doc["errors"][0]["code"] == "file-not-found"


def test_a_document_with_more_models_validates():
    _, doc = valid_document(["check", "--models", "3", "spec/robustness.align"])
    assert any("models" in r for r in doc["results"])


def test_a_document_with_every_symbol_validates():
    _, some = valid_document(["check", "spec/hubinger.align"])
    _, every = valid_document(["check", "--all-symbols", "spec/hubinger.align"])
    shown = [len(r["model"]["symbols"]) for r in some["results"] if "model" in r]
    all_shown = [len(r["model"]["symbols"]) for r in every["results"] if "model" in r]
    assert len(shown) == len(all_shown) and sum(all_shown) > sum(shown)


def test_recorded_cached_and_drifting_documents_validate(tmp_path):
    spec = tmp_path / "finite_and_numbers.align"
    shutil.copy(GOLDEN / spec.name, spec)
    _, recorded = valid_document(["check", "--record", spec.name], cwd=tmp_path)
    assert recorded["drift"] == [] and (tmp_path / "proofs" / f"{spec.name}.json").exists()
    _, cached = valid_document(["check", "--cached", spec.name], cwd=tmp_path)
    assert all(r.get("cached") for r in cached["results"])
    text = spec.read_text(encoding="utf-8")
    text = text.replace("  expect counterexample\n", "").replace("claim linear:", "example linear:")
    spec.write_text(text, encoding="utf-8")
    status, drifted = valid_document(["check", "--strict-records", spec.name], cwd=tmp_path)
    assert status == 1 and {d["kind"] for d in drifted["drift"]} == {"verdict"}
    spec.write_text(text.replace("claim order_is_total", "claim order_is_total_renamed"), encoding="utf-8")
    _, gone = valid_document(["check", spec.name], cwd=tmp_path)
    assert "gone" in {d["kind"] for d in gone["drift"]}


@pytest.mark.parametrize("golden", ["bounded.align", "inconsistent.align"])
def test_cross_checked_documents_validate(golden):
    pytest.importorskip("cvc5", reason="--cross-check needs the cvc5 package (in the test extra)")
    _, doc = valid_document(["check", "--cross-check", golden], cwd=GOLDEN)
    assert doc["summary"]["cross_check"]["agree"] == len(doc["results"])
    assert all("cross_check" in r for r in doc["results"])


def test_the_real_command_prints_a_valid_document():
    done = shell("alignproof check --format json tests/golden/diagram_core.align", ROOT)
    assert done.returncode == 1
    VALIDATOR.validate(json.loads(done.stdout))


def _corrupt(doc: dict, how: str) -> dict:
    doc = json.loads(json.dumps(doc))
    proved = next(r for r in doc["results"] if r["verdict"] == "proved")
    refuted = next(r for r in doc["results"] if r["verdict"] == "counterexample")
    if how == "misspelled field":
        refuted["verdcit"] = refuted.pop("verdict")
    elif how == "unknown field":
        doc["summary"]["skipped"] = 0
    elif how == "wrong type":
        proved["ok"] = "yes"
    elif how == "unknown verdict":
        proved["verdict"] = "proven"
    elif how == "used on a counterexample":
        refuted["used"] = []
    elif how == "proof without used":
        del proved["used"]
    elif how == "counterexample without a model":
        del refuted["model"]
    elif how == "ok but not met":
        refuted["expected"] = "proved"
    elif how == "claim with a witness verdict":
        proved["verdict"], proved["ok"] = "witness", False
        del proved["used"]
    elif how == "unknown error code":
        doc["errors"].append({"file": "x.align", "line": 1, "column": 1, "message": "m", "code": "oops"})
    elif how == "misspelled table row":
        rows = next(iter(refuted["model"]["symbols"].values()))
        rows[0]["valeu"] = rows[0].pop("value")
    elif how == "negative seconds":
        proved["seconds"] = -1
    elif how == "missing summary":
        del doc["summary"]
    elif how == "role in a sub-step":
        step = next(s for s in refuted["explanation"]["steps"] if s.get("because"))
        step["because"][0]["role"] = "hypothesis"
    return doc


@pytest.mark.parametrize("how", ["misspelled field", "unknown field", "wrong type", "unknown verdict",
                                 "used on a counterexample", "proof without used", "counterexample without a model",
                                 "ok but not met", "claim with a witness verdict", "unknown error code",
                                 "misspelled table row", "negative seconds", "missing summary",
                                 "role in a sub-step"])
def test_a_corrupted_document_fails_validation(how):
    _, doc = valid_document(["check", "finite_and_numbers.align"], cwd=GOLDEN)
    assert not VALIDATOR.is_valid(_corrupt(doc, how))


@pytest.mark.parametrize("block", [b for b in blocks(page("json.md")) if b.lang == "json"
                                   and b.section != "alignproof explore"],  # explore's: its own schema
                         ids=lambda b: f"line{b.line}")
def test_the_documents_of_json_md_validate(block):
    schema = OTHER_SCHEMAS.get(block.section)
    validator = VALIDATOR if schema is None else jsonschema.Draft202012Validator(
        json.loads((DOCS / "schema" / schema).read_text(encoding="utf-8")))
    validator.validate(json.loads(block.code))


OTHER_SCHEMAS = {"The JSON document of `suggest`": "suggest.schema.json"}
"""The sections of json.md that show another command's document, and its schema."""


def test_json_md_names_every_field_of_the_schema():
    spans = set(code_spans(page("json.md")))
    spans |= {quoted for span in spans for quoted in re.findall(r'"(\w+)"', span)}
    fields = schema_fields(SCHEMA)
    assert sorted(f for f in fields if f not in spans) == []


# ---------------------------------------------------------------- tutorial.md

TUTORIAL = page("tutorial.md")
TUTORIAL_FILE = "reward.align"


def test_the_tutorial_stage_by_stage(tmp_path):
    """Each spec block is added to reward.align; each command, run then, prints what the page shows."""
    spec = tmp_path / TUTORIAL_FILE
    spec.write_text("", encoding="utf-8")
    commands = 0
    for block in blocks(TUTORIAL):
        if block.lang == "align":
            spec.write_text(spec.read_text(encoding="utf-8") + block.code, encoding="utf-8")
        elif block.lang == "console":
            command, *shown = block.code.splitlines()
            assert command.startswith(f"$ alignproof check {TUTORIAL_FILE}"), command
            done = shell(command[2:], tmp_path)
            _shown_in_order([line for line in shown if line != "…"], done.stdout)
            failed = int(re.search(r"(\d+) failed", shown[-1]).group(1))
            assert done.returncode == (1 if failed else 0), done.stderr
            commands += 1
    assert commands >= 5
    status, doc = valid_document(["check", TUTORIAL_FILE], cwd=tmp_path)
    verdicts = {r["name"]: r["verdict"] for r in doc["results"]}
    assert status == 0 and verdicts == {"success_is_possible": "witness", "no_reward_hacking": "proved",
                                        "proxy_faithful_everywhere": "counterexample"}


def test_every_premise_the_tutorials_proof_uses_is_needed(tmp_path):
    """The page says: drop any one of the axioms in `used` and the proof fails."""
    text = "".join(b.code for b in blocks(TUTORIAL) if b.lang == "align")
    used = re.search(r"used: (.+)", sections(TUTORIAL)["Step 7: the missing premise"]).group(1).split(", ")
    assert len(used) == 4
    for axiom in used:
        without = re.sub(rf"axiom {axiom}:[^\n]*\n", "", text)
        (tmp_path / TUTORIAL_FILE).write_text(without, encoding="utf-8")
        status, doc = valid_document(["check", "--claim", "no_reward_hacking", TUTORIAL_FILE], cwd=tmp_path)
        assert doc["results"][0]["verdict"] == "counterexample", axiom


# ---------------------------------------------------------------- the index and the README


def test_the_index_lists_every_page_once_and_every_link_resolves():
    index = page("README.md")
    links = re.findall(r"\]\(([^)#]+)\)", index)
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "README.md")
    assert sorted(link for link in links if link.endswith(".md")) == pages
    assert all((DOCS / link).exists() for link in links)


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.glob("*.md")))
def test_links_between_pages_reach_a_page_and_a_section(name):
    for target, anchor in re.findall(r"\]\(([\w/.]+\.md)?#([\w-]+)\)", page(name)):
        text = page(target) if target else page(name)
        titles = [re.sub(r"[^\w\- ]", "", t).strip().lower().replace(" ", "-")
                  for t in re.findall(r"^#+ (.+)$", text, re.M)]
        assert anchor in titles, f"{name}: {target}#{anchor}"


def test_the_readme_points_at_the_reference():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = sections(readme)["The language and the command line"]
    for name in ("docs/language.md", "docs/commands.md", "docs/errors.md", "docs/json.md", "docs/tutorial.md"):
        assert name in section, name
    assert "shared folder" not in readme
