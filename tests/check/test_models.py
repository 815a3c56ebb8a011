"""`check --models N`: more than one counterexample, each with a new combination of truth values."""
from __future__ import annotations

import io
import json

from translator.check.results import Verdict
from translator.cli import dispatch
from translator.pipeline import Options, run

SPEC = """\
sort Agent
pred helpful: Agent
pred honest: Agent
pred safe: Agent
def good(a: Agent) := helpful(a) or honest(a)

claim good_is_safe: forall a: Agent. good(a) -> safe(a)
  expect counterexample

example good_agent: exists a: Agent. good(a)

claim safe_is_safe: forall a: Agent. safe(a) -> safe(a)
"""


def combination(model, witness):
    return tuple(model.value(p, (witness,)) for p in ("helpful", "honest"))


def test_models_differ_in_the_truth_of_the_definitions(tmp_path):
    path = tmp_path / "m.align"
    path.write_text(SPEC)
    result = next(r for r in run([str(path)], Options(timeout=5.0, models=5)).results
                  if r.name == "good_is_safe")
    assert result.verdict is Verdict.COUNTEREXAMPLE
    seen = [combination(result.model, result.witness["a"])]
    seen += [combination(a.model, a.witness["a"]) for a in result.alternatives]
    # good(a) must hold and safe(a) fail: helpful/honest can be TF, FT or TT, and nothing else
    assert sorted(seen) == [(False, True), (True, False), (True, True)]
    for alternative in result.alternatives:
        *hypotheses, conclusion = alternative.explanation.steps
        assert all(h.value is True for h in hypotheses) and conclusion.value is False


def test_one_model_by_default(tmp_path):
    path = tmp_path / "m.align"
    path.write_text(SPEC)
    assert all(r.alternatives == () for r in run([str(path)], Options(timeout=5.0)).results)


def test_json_lists_the_extra_models(tmp_path):
    path = tmp_path / "m.align"
    path.write_text(SPEC)
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["check", str(path), "--models", "2", "--format", "json"], out, err) == 0
    results = {r["name"]: r for r in json.loads(out.getvalue())["results"]}
    extra = results["good_is_safe"]["models"]
    assert len(extra) == 1 and set(extra[0]) == {"witness", "model", "explanation"}
    assert extra[0]["model"]["symbols"] != results["good_is_safe"]["model"]["symbols"]
    assert len(results["good_agent"]["models"]) == 1
    assert "models" not in results["safe_is_safe"]


def test_models_must_be_a_positive_count(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["check", str(tmp_path), "--models", "0"], out, err) == 2
    assert "--models" in err.getvalue() and "at least 1" in err.getvalue()


def test_text_shows_one_line_per_extra_model(tmp_path):
    path = tmp_path / "m.align"
    path.write_text(SPEC)
    out, err = io.StringIO(), io.StringIO()
    dispatch(["check", str(path), "--models", "3", "--claim", "good_is_safe"], out, err)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("      another: ")]
    assert len(lines) == 2 and all("the conclusion safe(" in line for line in lines)


WITHIN_SPEC = """\
sort S
sort T
pred p: S
pred r: S
def q(x: S) := r(x) or (exists y: S. y != x)
claim c: forall x: S. q(x) -> p(x) within 1
example e: exists x: S. q(x) and not p(x) within 1
claim per_sort: forall x: S. q(x) -> p(x) within S: 1, T: 2
"""


def test_extra_models_stay_within_the_bound(tmp_path):
    """Found by the differential fuzzing (--models N on generated specs): the extra models were
    sought without the query's `within`, so `c` within 1 was shown a second counterexample of two
    elements (r false, some y != x), which is no counterexample within 1."""
    path = tmp_path / "w.align"
    path.write_text(WITHIN_SPEC)
    results = run([str(path)], Options(timeout=5.0, models=3)).results
    assert [r.verdict for r in results] == [Verdict.COUNTEREXAMPLE, Verdict.WITNESS, Verdict.COUNTEREXAMPLE]
    for result in results:
        for model in (result.model, *(a.model for a in result.alternatives)):
            assert len(model.universe("S")) == 1, (result.name, model.universe("S"))
