"""The Python API (`alignproof`, translator/api.py): check paths or text, get the `Run` back."""
from __future__ import annotations

import os

import pytest

import alignproof
from translator import api
from translator.check.results import Verdict

SPEC = """sort A
pred p: A
pred q: A
axiom pq: forall a: A. p(a) -> q(a)
claim forward: forall a: A. p(a) -> q(a)
claim backward: forall a: A. q(a) -> p(a)
  expect counterexample
"""


def test_the_public_names_are_those_of_all_and_documented():
    assert set(api.__all__) <= set(alignproof.__all__)
    for name in alignproof.__all__:
        value = getattr(alignproof, name)
        assert value is getattr(api, name, value)
        if callable(value) and not isinstance(value, type):
            assert value.__doc__, name


def test_text_is_checked_as_a_file_of_its_own():
    run = alignproof.check(SPEC)
    assert run.ok and not run.input_error
    assert [(r.name, r.verdict, r.file) for r in run.results] == [
        ("forward", Verdict.PROVED, "<text>.align"), ("backward", Verdict.COUNTEREXAMPLE, "<text>.align")]
    assert run.results[0].used == ("pq",)
    assert run.programs, "the run keeps its programs, for the pictures"


def test_a_path_a_pathlike_and_a_list_of_paths(tmp_path):
    spec = tmp_path / "s.align"
    spec.write_text(SPEC, encoding="utf-8")
    for source in (str(spec), spec, [spec]):
        run = alignproof.check(source, claims=["backward"])
        assert [(r.name, r.file) for r in run.results] == [("backward", str(spec))]


def test_a_missing_path_is_an_input_error_not_an_exception(tmp_path):
    run = alignproof.check(str(tmp_path / "missing.align"))
    assert run.input_error and [d.code for d in run.diagnostics] == ["file-not-found"]


def test_bad_text_is_an_input_error_naming_its_place():
    run = alignproof.check("sort A\nclaim c: forall a: B. true\n", name="mine.align")
    assert run.input_error and not run.results
    (diag,) = run.diagnostics
    assert (diag.span.path, diag.span.line) == ("mine.align", 2)


def test_text_imports_from_the_directory_of_its_name(tmp_path):
    (tmp_path / "base.align").write_text("sort A\npred p: A\n", encoding="utf-8")
    text = 'import "base.align"\nclaim c: forall a: A. p(a) or not p(a)\n'
    run = alignproof.check(text, name=os.path.join(str(tmp_path), "cell.align"))
    assert [(r.name, r.verdict) for r in run.results] == [("c", Verdict.PROVED)]


def test_check_text_takes_what_looks_like_a_path_as_text():
    run = alignproof.check_text("spec/hubinger.align")
    assert run.input_error and run.diagnostics[0].span.path == "<text>.align"
    assert not alignproof.check("spec/hubinger.align", claims="inner_implies_objective_robust").input_error


def test_options_and_the_keywords_that_override_them():
    chosen = api._options(alignproof.Options(timeout=3.0, models=2), ["x"], None, 2)
    assert (chosen.timeout, chosen.models, chosen.claims, chosen.jobs) == (3.0, 2, ("x",), 2)
    assert api._options(None, (), 5, None).timeout == 5.0
    with pytest.raises(ValueError):
        api._options(None, (), None, 0)


def test_an_unknown_claim_is_an_input_error():
    run = alignproof.check(SPEC, claims=["nope"])
    assert run.input_error and run.diagnostics[0].code == "unknown-claim"


def test_records_are_refused_for_text():
    with pytest.raises(ValueError, match="proof records"):
        alignproof.check(SPEC, options=alignproof.Options(record=True))


def test_all_symbols_shows_the_whole_model():
    text = SPEC + "pred r: A\n"
    narrow = alignproof.check(text, claims="backward").results[0]
    wide = alignproof.check(text, claims="backward", all_symbols=True).results[0]
    assert "r" not in narrow.shown_symbols and "r" in wide.shown_symbols


def test_report_writes_the_page(tmp_path):
    run = alignproof.check(SPEC)
    target = tmp_path / "page.html"
    page = alignproof.report(run, target)
    assert page.startswith("<!DOCTYPE html>") and target.read_text(encoding="utf-8") == page
    assert 'id="cex-backward"' in page


def test_importing_translator_still_loads_nothing_of_the_api():
    import subprocess
    import sys
    code = "import sys, translator.cli; print(sorted(m for m in sys.modules if m.startswith('translator')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "translator.api" not in out and "translator.check.results" not in out


def test_audit_finds_an_idle_axiom_and_the_premise_set_of_a_proof(tmp_path):
    spec = tmp_path / "a.align"
    spec.write_text(SPEC + "pred r: A\naxiom idle: forall a: A. r(a)\n", encoding="utf-8")
    found = alignproof.audit(spec)
    (program,) = found.programs
    assert "idle" in program.idle and "pq" not in program.idle
    (forward,) = [c for c in program.claims if c.name == "forward"]
    assert forward.cores == (("pq",),) and forward.complete


def test_audit_of_a_missing_path_holds_the_error(tmp_path):
    found = alignproof.audit(tmp_path / "missing.align")
    assert found.run.input_error and not found.ok and found.programs == ()


# ---------------------------------------------------------------- the §6 analyses

def _command_json(*argv: str) -> tuple[int, dict]:
    import io
    import json

    from translator.cli import dispatch
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, json.loads(out.getvalue())


def _timeless(doc):
    """A JSON document without its timings (`seconds`), which two runs never share."""
    if isinstance(doc, dict):
        return {k: _timeless(v) for k, v in doc.items() if k != "seconds"}
    if isinstance(doc, list):
        return [_timeless(v) for v in doc]
    return doc


HUBINGER = os.path.join("spec", "hubinger.align")
READINGS = os.path.join("spec", "readings.align")
FAQ = os.path.join("spec", "faq.align")
CONVERSE = "faq_objective_robust_does_not_imply_inner"


ON_THE_LIBRARY = [
    (lambda: alignproof.explore(HUBINGER), ["explore", HUBINGER], ['id="discovered-', "<svg"]),
    (lambda: alignproof.matrix(READINGS), ["matrix", READINGS], ['table class="results matrix"']),
    (lambda: alignproof.suggest(FAQ, CONVERSE, timeout=600), ["suggest", FAQ, "--claim", CONVERSE, "--timeout", "600"],
     ["suggested_1", "mesa_optimizer"]),
    (lambda: alignproof.audit(HUBINGER), ["audit", HUBINGER], ['id="premises-']),
]
"""Per analysis: the API's call, the command's arguments for the same, and what its notebook display holds."""


@pytest.mark.parametrize("call, argv, shown", ON_THE_LIBRARY, ids=["explore", "matrix", "suggest", "audit"])
def test_each_analysis_is_its_commands_json_on_the_spec_library(call, argv, shown):
    found = call()
    status, doc = _command_json(*argv, "--format", "json")
    assert status == 0 and found.ok and not found.run.input_error
    assert _timeless(found.to_json()) == _timeless(doc)
    html = found._repr_html_()
    assert html.startswith('<div class="alignproof">') and all(part in html for part in shown)


def test_the_analyses_take_the_text_of_a_spec():
    explored = alignproof.explore(SPEC, preds=True)
    assert [e.sort for e in explored.explorations] == ["A"] and explored.ok
    assert alignproof.matrix(SPEC).matrix.files[0].file == "<text>.align"
    suggested = alignproof.suggest(SPEC, "backward", sources=["enumerator"], timeout=60)
    assert not suggested.input_error and suggested.report.claim.verdict is Verdict.COUNTEREXAMPLE
    assert suggested.to_json()["claim"] == {"file": "<text>.align", "name": "backward", "verdict": "counterexample",
                                            "witness": suggested.to_json()["claim"]["witness"]}
    assert alignproof.suggest(SPEC, "forward").proved


def test_bad_input_to_the_analyses_is_diagnosed_not_raised(tmp_path):
    missing = str(tmp_path / "missing.align")
    for found in (alignproof.explore(missing), alignproof.matrix(missing), alignproof.suggest(missing, "c")):
        assert found.input_error and not found.ok
        assert [d.code for d in found.run.diagnostics] == ["file-not-found"]
        assert [e["code"] for e in found.to_json()["errors"]] == ["file-not-found"]
        assert "file-not-found" in found._repr_html_()
    bad = alignproof.explore("sort A\nclaim c: forall a: B. true\n", name="mine.align")
    assert bad.input_error and bad.run.diagnostics[0].span.path == "mine.align"
    assert "mine.align:2:" in bad._repr_html_() and "^" in bad._repr_html_()


def test_names_the_input_does_not_have_are_usage_errors():
    no_sort = alignproof.explore(SPEC, sort="Nope")
    assert no_sort.input_error and no_sort.usage.code == "usage" and not no_sort.explorations
    status, doc = _command_json("explore", HUBINGER, "--sort", "Nope", "--format", "json")
    assert status == 2 and alignproof.explore(HUBINGER, sort="Nope").to_json() == doc
    no_claim = alignproof.suggest(SPEC, "nope")
    assert no_claim.input_error and "no claim or lemma named 'nope'" in no_claim.usage.message
    status, doc = _command_json("suggest", HUBINGER, "--claim", "nope", "--format", "json")
    assert status == 2 and alignproof.suggest(HUBINGER, "nope").to_json() == doc
    no_axiom = alignproof.suggest(SPEC, "backward", drop=["nope"])
    assert no_axiom.input_error and "no axiom named 'nope'" in no_axiom.usage.message
    assert "error: no axiom named" in no_axiom._repr_html_()


def test_arguments_out_of_range_are_refused():
    for call in (lambda: alignproof.explore(SPEC, joins=0), lambda: alignproof.suggest(SPEC, "backward", limit=0),
                 lambda: alignproof.suggest(SPEC, "backward", sources=["nope"]),
                 lambda: alignproof.matrix([])):
        with pytest.raises(ValueError):
            call()


def test_the_analyses_print_as_their_commands_do():
    from IPython.lib.pretty import pretty
    assert "implications decided" in pretty(alignproof.explore(SPEC, preds=True))
    assert pretty(alignproof.suggest(SPEC, "forward")).endswith("nothing to suggest")
    assert "no such file" in pretty(alignproof.matrix("missing.align"))


def test_the_python_examples_of_docs_api_md_run(monkeypatch):
    """Every `python` block of docs/api.md runs as written, from the repository's root."""
    from pathlib import Path

    from mdblocks import blocks, page
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    examples = [b for b in blocks(page("api.md")) if b.lang == "python"]
    assert len(examples) >= 2
    for block in examples:
        exec(compile(block.code, f"docs/api.md:{block.line}", "exec"), {})
