"""Proof records: fingerprints, `--record`, drift, `--strict-records` and `--cached`."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from translator.check.checker import CheckOptions
from translator.check.records import fingerprint, normalise, record_path
from translator.cli import dispatch
from translator.pipeline import front_end

SPEC = """\
# A small spec for the records.
sort Agent
pred good: Agent
pred safe: Agent
pred fast: Agent

def trusted(a: Agent) := good(a) and safe(a)

axiom good_is_safe: forall a: Agent. good(a) -> safe(a)
axiom fast_exists: exists a: Agent. fast(a)

claim good_trusted: forall a: Agent. good(a) -> trusted(a)
claim fast_not_good: forall a: Agent. fast(a) -> good(a)
  expect counterexample
"""


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def prints(text: str, tmp_path: Path, options: CheckOptions = CheckOptions()) -> dict[str, str]:
    spec = tmp_path / "fp.align"
    spec.write_text(text, encoding="utf-8")
    programs, diags, _ = front_end([str(spec)])
    assert not diags
    [program] = programs
    return {q.name: fingerprint(program, q, options) for q in program.queries}


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "s.align").write_text(SPEC, encoding="utf-8")
    return tmp_path


def record_of(workdir: Path) -> dict:
    return json.loads((workdir / "proofs" / "specs" / "s.align.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- fingerprints

def test_fingerprint_ignores_comments_whitespace_and_unrelated_order(tmp_path):
    before = prints(SPEC, tmp_path)
    edited = SPEC.replace("# A small spec", "# An edited comment\n\n# A small spec")
    edited = edited.replace("good(a) -> safe(a)", "good(a)   ->\n    safe(a)  # why: by fiat")
    # swap two unrelated declarations and rename a bound variable
    edited = edited.replace("pred safe: Agent\npred fast: Agent", "pred fast: Agent\npred safe: Agent")
    edited = edited.replace("forall a: Agent. good(a) -> trusted(a)", "forall x: Agent. good(x) -> trusted(x)")
    assert prints(edited, tmp_path) == before


def test_fingerprint_changes_with_an_axiom_a_definition_or_the_options(tmp_path):
    before = prints(SPEC, tmp_path)
    axiom = prints(SPEC.replace("good(a) -> safe(a)", "good(a) -> safe(a) or fast(a)"), tmp_path)
    assert all(axiom[n] != before[n] for n in before)   # every query reads every axiom
    defn = prints(SPEC.replace("good(a) and safe(a)", "safe(a) and good(a)"), tmp_path)
    assert defn["good_trusted"] != before["good_trusted"]
    assert prints(SPEC, tmp_path, CheckOptions(timeout=5))["good_trusted"] != before["good_trusted"]
    assert prints(SPEC, tmp_path, CheckOptions(rlimit=1000))["good_trusted"] != before["good_trusted"]


def test_normalise_numbers_bound_variables_by_depth(tmp_path):
    spec = tmp_path / "n.align"
    spec.write_text("sort A\npred p: A, A\nclaim c: forall x: A. exists y: A. p(x, y)\n"
                    "claim d: forall u: A. exists v: A. p(u, v)\n", encoding="utf-8")
    [program], _, _ = front_end([str(spec)])
    c, d = program.queries
    assert normalise(c.formula) == normalise(d.formula)
    assert '"x"' not in json.dumps(normalise(c.formula))


def test_record_path_mirrors_the_spec_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert record_path("spec/hubinger.align") == tmp_path / "proofs" / "spec" / "hubinger.align.json"
    assert record_path(str(tmp_path / "a" / "b.align")) == tmp_path / "proofs" / "a" / "b.align.json"


def test_records_are_found_from_the_spec_not_from_the_current_directory(tmp_path, monkeypatch):
    """The project of a spec is the nearest folder above it with proofs/, else with .git (issue 19, 9)."""
    project = tmp_path / "project"
    (project / "proofs").mkdir(parents=True)
    (project / "spec" / "deep").mkdir(parents=True)
    expected = project / "proofs" / "spec" / "deep" / "a.align.json"
    for where in (tmp_path, project / "spec", project / "spec" / "deep"):
        monkeypatch.chdir(where)
        assert record_path(os.path.relpath(project / "spec" / "deep" / "a.align")) == expected
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert record_path(str(repository / "s" / "x.align")) == repository / "proofs" / "s" / "x.align.json"
    package = tmp_path / "package"
    (package / "spec").mkdir(parents=True)
    (package / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    assert record_path(str(package / "spec" / "y.align")) == package / "proofs" / "spec" / "y.align.json"


# ---------------------------------------------------------------- --record and drift

def test_record_writes_one_sorted_block_per_claim(workdir):
    status, _, _ = cli("check", "--record", "specs/s.align")
    path = workdir / "proofs" / "specs" / "s.align.json"
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert status == 0 and text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert doc["file"] == "specs/s.align" and sorted(doc["claims"]) == ["fast_not_good", "good_trusted"]
    proved = doc["claims"]["good_trusted"]
    assert proved["verdict"] == "proved" and proved["used"] == ["good_is_safe"]
    assert proved["fingerprint"].startswith("sha256:") and "seconds" not in proved
    refuted = doc["claims"]["fast_not_good"]
    assert refuted["verdict"] == "counterexample" and "a" in refuted["witness"] and "Agent" in refuted["model"]["sorts"]


def test_no_drift_right_after_recording(workdir):
    cli("check", "--record", "specs/s.align")
    status, out, _ = cli("check", "--format", "json", "--strict-records", "specs/s.align")
    assert status == 0 and json.loads(out)["drift"] == []


def test_drift_in_used_and_a_claim_gone(workdir):
    cli("check", "--record", "specs/s.align")
    spec = workdir / "specs" / "s.align"
    text = SPEC.replace("good_is_safe", "good_makes_safe")
    text = text.replace("claim fast_not_good: forall a: Agent. fast(a) -> good(a)\n  expect counterexample\n", "")
    spec.write_text(text, encoding="utf-8")
    status, out, _ = cli("check", "specs/s.align")
    assert status == 0
    assert "drift: specs/s.align::good_trusted: used changed from [good_is_safe] to [good_makes_safe]" in out
    assert "drift: specs/s.align::fast_not_good: recorded, but no such claim or example any more" in out
    status, out, _ = cli("check", "--format", "json", "--strict-records", "specs/s.align")
    drift = json.loads(out)["drift"]
    assert status == 1
    assert {(d["name"], d["kind"]) for d in drift} == {("good_trusted", "used"), ("fast_not_good", "gone")}


def test_drift_in_a_verdict(workdir):
    cli("check", "--record", "specs/s.align")
    spec = workdir / "specs" / "s.align"
    spec.write_text(SPEC.replace("axiom good_is_safe: forall a: Agent. good(a) -> safe(a)\n", ""), encoding="utf-8")
    status, out, _ = cli("check", "--format", "json", "specs/s.align")
    [drift] = json.loads(out)["drift"]
    assert status == 1 and drift == {"file": "specs/s.align", "name": "good_trusted", "kind": "verdict",
                                     "recorded": "proved", "now": "counterexample"}


def test_record_keeps_unchecked_claims_and_drops_gone_ones(workdir):
    cli("check", "--record", "specs/s.align")
    cli("check", "--record", "--claim", "good_trusted", "specs/s.align")
    assert sorted(record_of(workdir)["claims"]) == ["fast_not_good", "good_trusted"]


def test_no_drift_key_without_records(workdir):
    status, out, _ = cli("check", "--format", "json", "specs/s.align")
    assert status == 0 and "drift" not in json.loads(out)


# ---------------------------------------------------------------- --cached

def cached_names(out: str) -> set[str]:
    return {r["name"] for r in json.loads(out)["results"] if r.get("cached")}


def test_cached_reuses_a_matching_record_without_a_search(workdir, monkeypatch):
    """A replayed result is confirmed (a proof re-proved from its `used`), never searched for again."""
    status, fresh, _ = cli("check", "--format", "json", "--record", "specs/s.align")
    import translator.check.stack as stack
    from translator.check.checker import ProgramChecker

    def no_search(*args, **kwargs):
        raise AssertionError("the checker searched for an answer")

    monkeypatch.setattr(stack, "check_program", no_search)
    monkeypatch.setattr(ProgramChecker, "answer", no_search)
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 0 and cached_names(out) == {"good_trusted", "fast_not_good"}

    def strip(doc: str) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in ("seconds", "cached")}
                for r in json.loads(doc)["results"]]

    assert strip(out) == strip(fresh)
    status, text, _ = cli("check", "--cached", "specs/s.align")
    assert "good_trusted: proved  (cached)" in text and "counterexample: a = Agent#0" in text


def test_editing_a_used_axiom_invalidates_the_cache(workdir):
    cli("check", "--record", "specs/s.align")
    spec = workdir / "specs" / "s.align"
    spec.write_text(SPEC.replace("good(a) -> safe(a)", "good(a) -> safe(a) and good(a)"), encoding="utf-8")
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 0 and cached_names(out) == set()


def test_a_comment_or_whitespace_edit_keeps_the_cache(workdir):
    cli("check", "--record", "specs/s.align")
    spec = workdir / "specs" / "s.align"
    spec.write_text("# new header comment\n\n" + SPEC.replace("good(a) -> safe(a)", "good(a)  ->  safe(a)   # fine"),
                    encoding="utf-8")
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 0 and cached_names(out) == {"good_trusted", "fast_not_good"}


def test_cached_without_a_record_solves(workdir):
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 0 and cached_names(out) == set() and json.loads(out)["drift"] == []


def test_a_cached_counterexample_keeps_its_explanation(workdir):
    _, fresh, _ = cli("check", "--format", "json", "--record", "specs/s.align")
    _, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    [was] = [r for r in json.loads(fresh)["results"] if r["name"] == "fast_not_good"]
    [now] = [r for r in json.loads(out)["results"] if r["name"] == "fast_not_good"]
    assert now["cached"] and now["explanation"] == was["explanation"] and now["explanation"]["steps"]
    _, text, _ = cli("check", "--cached", "specs/s.align")
    assert "fast(Agent#0)" in text  # the explanation's hypothesis, printed as for a fresh result


def test_a_recorded_model_that_does_not_recheck_is_not_reused(workdir):
    """A record edited by hand (here: the counterexample made to satisfy the claim) is solved again."""
    cli("check", "--record", "specs/s.align")
    path = workdir / "proofs" / "specs" / "s.align.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    entry = doc["claims"]["fast_not_good"]
    for row in entry["model"]["symbols"]["good"]:
        row["value"] = True
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 0 and cached_names(out) == {"good_trusted"}


def test_records_keep_the_whole_model(workdir):
    cli("check", "--record", "specs/s.align")
    model = record_of(workdir)["claims"]["fast_not_good"]["model"]
    assert {"good", "safe", "fast"} <= set(model["symbols"])  # not only the symbols the claim mentions


# ---------------------------------------------------------------- drift in the CI formats

def drifted(workdir: Path) -> None:
    cli("check", "--record", "specs/s.align")
    (workdir / "specs" / "s.align").write_text(SPEC.replace("good_is_safe", "good_makes_safe").replace(
        "claim fast_not_good: forall a: Agent. fast(a) -> good(a)\n  expect counterexample\n", ""), encoding="utf-8")


@pytest.mark.parametrize("strict", [False, True])
def test_drift_in_junit(workdir, strict):
    from xml.etree import ElementTree as ET
    drifted(workdir)
    status, out, _ = cli("check", "--format", "junit", *(["--strict-records"] if strict else []), "specs/s.align")
    assert status == (1 if strict else 0)
    root = ET.fromstring(out)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    trusted, gone = cases["good_trusted"], cases["fast_not_good"]
    if strict:
        assert trusted.find("failure").get("type") == "drift" and "used changed" in trusted.find("failure").text
        assert gone.find("failure").get("type") == "drift"
        assert root.get("failures") == "2"
    else:
        assert trusted.find("failure") is None and "used changed" in trusted.find("system-out").text
        assert "no such claim" in gone.find("skipped").get("message")
        assert root.get("failures") == "0" and root.get("skipped") == "1"


@pytest.mark.parametrize("strict", [False, True])
def test_drift_in_sarif(workdir, strict):
    drifted(workdir)
    _, out, _ = cli("check", "--format", "sarif", *(["--strict-records"] if strict else []), "specs/s.align")
    results = json.loads(out)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert set(by_rule) == {"drift-used", "drift-gone"}
    assert {r["level"] for r in results} == {"error" if strict else "warning"}
    region = by_rule["drift-used"]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == SPEC.splitlines().index(
        "claim good_trusted: forall a: Agent. good(a) -> trusted(a)") + 1
    assert by_rule["drift-used"]["properties"]["now"] == ["good_makes_safe"]


@pytest.mark.parametrize("strict", [False, True])
def test_drift_in_github_annotations(workdir, strict):
    drifted(workdir)
    _, out, _ = cli("check", "--format", "github", *(["--strict-records"] if strict else []), "specs/s.align")
    lines = [line for line in out.splitlines() if "drift" in line]
    kind = "::error" if strict else "::warning"
    assert len(lines) == 2 and all(line.startswith(kind + " file=specs/s.align") for line in lines)
    assert any("used changed from [good_is_safe] to [good_makes_safe]" in line for line in lines)


# ---------------------------------------------------------------- the trust model (issue 19, items 6, 9, 13)

def forge(workdir: Path, name: str, **entry) -> None:
    """Edit the record of `name` by hand, keeping its fingerprint (anybody can compute it)."""
    path = workdir / "proofs" / "specs" / "s.align.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    kept = {"fingerprint": doc["claims"][name]["fingerprint"], "expected": doc["claims"][name]["expected"],
            "kind": doc["claims"][name]["kind"]}
    doc["claims"][name] = {**kept, **entry}
    path.write_text(json.dumps(doc), encoding="utf-8")


def results_of(out: str) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(out)["results"]}


FAILING = SPEC + "claim fast_is_good: forall a: Agent. fast(a) -> good(a)\n"


def test_a_forged_proof_of_a_refuted_claim_is_not_replayed(workdir):
    (workdir / "specs" / "s.align").write_text(FAILING, encoding="utf-8")
    status, _, _ = cli("check", "--record", "specs/s.align")
    assert status == 1  # fast_is_good has a counterexample
    forge(workdir, "fast_is_good", verdict="proved", ok=True, used=["good_is_safe"])
    status, out, _ = cli("check", "--format", "json", "--cached", "--strict-records", "specs/s.align")
    result = results_of(out)["fast_is_good"]
    assert status == 1 and result["verdict"] == "counterexample" and not result.get("cached")
    assert {"name": "fast_is_good", "kind": "verdict"}.items() <= json.loads(out)["drift"][0].items()


def test_a_forged_used_set_is_not_replayed(workdir):
    cli("check", "--record", "specs/s.align")
    forge(workdir, "good_trusted", verdict="proved", ok=True, used=[])
    status, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    result = results_of(out)["good_trusted"]
    assert status == 0 and result["used"] == ["good_is_safe"] and not result.get("cached")


def test_a_used_axiom_the_spec_does_not_have_is_not_replayed(workdir):
    cli("check", "--record", "specs/s.align")
    forge(workdir, "good_trusted", verdict="proved", ok=True, used=["good_is_safe", "made_up"])
    _, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert results_of(out)["good_trusted"]["used"] == ["good_is_safe"]


def test_forged_proofs_do_not_hide_inconsistent_axioms(workdir):
    spec = workdir / "specs" / "s.align"
    spec.write_text(SPEC + "axiom nobody_fast: forall a: Agent. not fast(a)\n", encoding="utf-8")
    status, _, _ = cli("check", "--record", "specs/s.align")
    assert status == 1
    for name in ("good_trusted", "fast_not_good"):
        forge(workdir, name, verdict="proved", ok=True, used=["fast_exists", "nobody_fast"])
    status, out, err = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert status == 1 and [e["code"] for e in json.loads(out)["errors"]] == ["inconsistent-axioms"]
    assert {r["verdict"] for r in json.loads(out)["results"]} == {"unknown"}


def test_a_record_of_another_alignproof_version_is_not_replayed(workdir, monkeypatch):
    cli("check", "--record", "specs/s.align")
    import translator.check.records as records
    monkeypatch.setattr(records, "__version__", "0.0.0-another")
    _, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")
    assert cached_names(out) == set()


def test_the_fingerprint_holds_alignproofs_version(tmp_path):
    spec = tmp_path / "fp.align"
    spec.write_text(SPEC, encoding="utf-8")
    [program], _, _ = front_end([str(spec)])
    query = program.queries[0]
    assert fingerprint(program, query, CheckOptions(), alignproof="1") != \
        fingerprint(program, query, CheckOptions(), alignproof="2")


def test_records_are_found_from_another_directory(workdir, monkeypatch):
    cli("check", "--record", "specs/s.align")
    monkeypatch.chdir(workdir / "specs")
    status, out, _ = cli("check", "--format", "json", "--cached", "--strict-records", "s.align")
    assert status == 0 and cached_names(out) == {"good_trusted", "fast_not_good"}


def test_a_missing_record_is_drift_under_strict_records(workdir, monkeypatch):
    monkeypatch.chdir(workdir / "specs")
    status, out, _ = cli("check", "--format", "json", "--cached", "--strict-records", "s.align")
    drift = json.loads(out)["drift"]
    assert status == 1 and {(d["name"], d["kind"]) for d in drift} == {("good_trusted", "missing"),
                                                                       ("fast_not_good", "missing")}
    status, text, _ = cli("check", "--cached", "--strict-records", "s.align")
    assert status == 1 and "drift: s.align::good_trusted: no proof record (write one with --record)" in text


UNDECIDED = ["--rlimit", "1"]  # every question runs out of resources at once: unknown, deterministically


def test_a_recorded_unknown_is_replayed_under_the_same_limits(workdir):
    status, out, _ = cli("check", "--format", "json", "--record", *UNDECIDED, "specs/s.align")
    assert status == 1 and {r["verdict"] for r in json.loads(out)["results"]} == {"unknown"}
    status, out, _ = cli("check", "--format", "json", "--cached", *UNDECIDED, "specs/s.align")
    assert status == 1 and cached_names(out) == {"good_trusted", "fast_not_good"}
    _, out, _ = cli("check", "--format", "json", "--cached", "--retry-unknown", *UNDECIDED, "specs/s.align")
    assert cached_names(out) == set()
    _, out, _ = cli("check", "--format", "json", "--cached", "specs/s.align")  # other limits: solved
    assert cached_names(out) == set()


def test_an_unknown_under_other_isolate_limits_is_not_replayed(workdir):
    from translator.check.records import Recorder
    from translator.check.stack import InProcess
    from translator.options import Limits
    entry = {"fingerprint": "F", "verdict": "unknown", "limits": {"memory_mib": 512, "cpu_seconds": 2.0}}
    assert Recorder(InProcess(), cached=True, limits=Limits(512, 2.0))._reusable(entry, "F")
    assert not Recorder(InProcess(), cached=True, limits=Limits(1024, 2.0))._reusable(entry, "F")
    assert not Recorder(InProcess(), cached=True)._reusable(entry, "F")


def test_a_recorded_counterexample_without_its_model_is_solved_again(tmp_path, monkeypatch):
    import json as _json

    from conftest import run_cli
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "s.align").write_text("sort S\npred p: S\nclaim c: forall x: S. p(x)\n")
    assert run_cli("check", "s.align", "--record")[0] == 1
    record = tmp_path / "proofs" / "s.align.json"
    doc = _json.loads(record.read_text())
    del doc["claims"]["c"]["model"]
    record.write_text(_json.dumps(doc))
    status, out, _ = run_cli("check", "s.align", "--cached", "--format", "json")
    [result] = _json.loads(out)["results"]
    assert status == 1 and result["verdict"] == "counterexample"
    assert not result.get("cached") and result["model"]
