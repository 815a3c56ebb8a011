"""The spec library in spec/: pinned verdicts, the reader's page, and the essay's type error.

Checking spec/ takes about 13 s, so the checker runs once for this module
(the `library` fixture) and every test reads that one run.

- A changed verdict fails `test_pinned_verdict[FILE::NAME]`. After reviewing the
  change, re-pin every verdict with `python3 tests/test_spec_library.py --update`
  and review the diff of tests/spec_verdicts.json like code.
- A stale page fails `test_reader_page_is_up_to_date`; regenerate it with
  `python3 -m tools.readerpage spec/`.
"""
from __future__ import annotations

import difflib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also run as a script, for --update
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tools import readerpage  # noqa: E402
from translator.check.checker import CheckOptions  # noqa: E402
from translator.check.records import fingerprint  # noqa: E402
from translator.cli import dispatch  # noqa: E402
from translator.pipeline import front_end  # noqa: E402

SPEC = ROOT / "spec"
VERDICTS = Path(__file__).parent / "spec_verdicts.json"
TYPE_ERROR = Path(__file__).parent / "fixtures" / "essay_type_error.align"
PINNED: dict[str, str] = json.loads(VERDICTS.read_text(encoding="utf-8")) if VERDICTS.exists() else {}
UPDATE = "python3 tests/test_spec_library.py --update"


def result_key(result: dict) -> str:
    """`spec/FILE.align::NAME` (under base) or `spec/FILE.align::NAME[READING]`, whatever path the
    checker was given."""
    return f"spec/{Path(result['file']).name}::{readerpage.named(result['name'], result.get('reading'))}"


def verdicts(library: readerpage.Library) -> dict[str, str]:
    return {result_key(r): r["verdict"] for r in library.document["results"]}


@pytest.fixture(scope="module")
def library() -> readerpage.Library:
    return readerpage.load_library(SPEC)


# ---------------------------------------------------------------- the verdicts

@pytest.mark.parametrize("key", sorted(PINNED))
def test_pinned_verdict(library, key):
    now = verdicts(library).get(key, "no such claim or example")
    assert now == PINNED[key], (f"{key}: verdict changed from {PINNED[key]} to {now}; "
                                f"if that is right, re-pin with `{UPDATE}`")


def test_every_claim_is_pinned(library):
    new = sorted(set(verdicts(library)) - set(PINNED))
    assert not new, f"not in tests/spec_verdicts.json: {', '.join(new)}; pin them with `{UPDATE}`"


def test_every_result_meets_its_expectation(library):
    failed = [f"{result_key(r)}: {r['verdict']} (expected {r['expected']})"
              for r in library.document["results"] if not r["ok"]]
    assert not failed, "results not as expected:\n" + "\n".join(failed)


def test_axioms_are_consistent(library):
    errors = [f"{e['file']}:{e['line']}: {e['message']}" for e in library.document["errors"]]
    assert not errors, "the checker reported errors:\n" + "\n".join(errors)


def test_z3_alone_gives_the_pinned_verdicts():
    """cvc5 is optional: `pip install -e . && alignproof check spec/` (the README's first command)
    runs z3 alone, and must give the same verdicts as the portfolio."""
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["check", "--format", "json", "--solver", "z3", str(SPEC)], out, err)
    document = json.loads(out.getvalue())
    differ = [f"{result_key(r)}: {r['verdict']} by z3 alone, pinned {PINNED.get(result_key(r))}"
              for r in document["results"] if r["verdict"] != PINNED.get(result_key(r))]
    assert not differ and status == 0, "\n".join(differ) or err.getvalue()


def test_essay_comparison_without_a_bridge_is_a_type_error():
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["check", "--format", "json", str(TYPE_ERROR)], out, err)
    assert status == 2, err.getvalue()
    [error] = json.loads(out.getvalue())["errors"]
    assert error["code"] == "domain-mismatch"
    assert "(S vs Sigma)" in error["message"]
    assert "bridge" in error["help"]


# ---------------------------------------------------------------- the proof records

PROOFS = ROOT / "proofs" / "spec"
RECORD = "python3 -m translator check spec/ --record"


def recorded() -> dict[str, dict]:
    """`spec/FILE.align::NAME` -> its block in proofs/spec/FILE.align.json."""
    out = {}
    for path in sorted(PROOFS.glob("*.align.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        blocks = [(None, document["claims"]), *document.get("readings", {}).items()]
        for reading, claims in blocks:
            for name, entry in claims.items():
                out[f"spec/{path.name[:-len('.json')]}::{readerpage.named(name, reading)}"] = entry
    return out


def test_proof_records_match_a_fresh_run(library):
    records = recorded()
    stale = []
    for result in library.document["results"]:
        key = result_key(result)
        entry = records.pop(key, None)
        if entry is None:
            stale.append(f"{key}: no record")
        elif entry["verdict"] != result["verdict"] or entry.get("used") != result.get("used"):
            stale.append(f"{key}: recorded {entry['verdict']} {entry.get('used')}, "
                         f"now {result['verdict']} {result.get('used')}")
    stale += [f"{key}: recorded, but gone" for key in records]
    assert not stale, f"proofs/spec is stale; re-record with `{RECORD}`:\n" + "\n".join(stale)


def test_proof_record_fingerprints_are_current():
    records = recorded()
    programs, diags, _ = front_end([str(SPEC)])
    assert not diags
    keys = [(f"spec/{Path(q.file).name}::{readerpage.named(q.name, variant.reading)}", variant, q)
            for program in programs for variant in (program, *program.variants) for q in variant.queries]
    stale = [key for key, variant, q in keys
             if records.get(key, {}).get("fingerprint") != fingerprint(variant, q, CheckOptions())]
    assert not stale, f"fingerprints changed; re-record with `{RECORD}`: " + ", ".join(stale)


# ---------------------------------------------------------------- the reader's page

def test_reader_page_is_up_to_date(library):
    page = readerpage.generate(SPEC, library).text
    current = (SPEC / readerpage.PAGE).read_text(encoding="utf-8")
    if page != current:
        diff = "".join(list(difflib.unified_diff(current.splitlines(True), page.splitlines(True),
                                                 "spec/README.md", "regenerated", n=1))[:40])
        pytest.fail(f"spec/README.md is out of date; regenerate it with "
                    f"`{readerpage.COMMAND}`\n{diff}")


def test_reader_page_mentions_every_claim_and_axiom(library):
    assert readerpage.generate(SPEC, library).unmentioned == ()


def test_placeholder_naming_no_claim_is_an_error(library):
    with pytest.raises(readerpage.PageError, match="verdict:faq:no_such_claim"):
        readerpage.render_page("ok\n{{verdict:faq:no_such_claim}}\n", library)


def test_an_audit_placeholder_on_an_unproved_claim_is_an_error(library):
    with pytest.raises(readerpage.PageError, match="not proved"):
        readerpage.render_page("{{cores:robustness:converse_impact_implies_intent}}\n", library)


@pytest.mark.parametrize("arrow, axiom", [("outer_and_objective_robust_implies_intent",
                                           "outer_measures_what_we_care_about"),
                                          ("intent_and_capability_robust_implies_impact",
                                           "capability_means_effective_pursuit")])
def test_the_words_of_section_7_on_arrows_2_and_3(library, arrow, axiom):
    """What §7 of the page says in words: one premise set of one axiom, needed, not given back."""
    claim = library.audit.claims[("hubinger", arrow)]
    assert claim["cores"] == [[axiom]] and claim["complete"] is True
    assert arrow in library.audit.axioms[("hubinger", axiom)]["needed_by"]
    assert [(c["axiom"], c["implied"], c["circular"]) for c in claim["converses"]] == [(axiom, False, False)]
    assert library.results[("readings", "third_arrow[pursuit_for_humans]")]["used"] == [
        "capability_means_effective_pursuit_for_humans"]


def test_an_explore_placeholder_naming_no_spec_is_an_error(library):
    with pytest.raises(readerpage.PageError, match="names no program"):
        readerpage.render_page("{{explore:no_such_spec}}\n", library)


def test_section_9_lists_the_unstated_arrows_and_links_every_world(library):
    """The explore section: an arrow that holds and no claim states is there with its `used`, each
    refutation links to a world that the same text defines, and a stated arrow is not listed as unstated."""
    text = readerpage.render_page("{{explore:hubinger}}\n", library).text
    assert "`objective_robust ∧ capability_robust → robust`, used `capability_means_effective_pursuit`" in text
    assert "`inner_aligned → objective_robust`," not in text  # stated: inner_implies_objective_robust
    links = set(re.findall(r"\(#(explore-hubinger-w\d+)\)", text))
    anchors = set(re.findall(r'<a id="(explore-hubinger-w\d+)">', text))
    assert links and links == anchors


def test_generator_exits_non_zero_on_a_bad_placeholder(tmp_path, capsys):
    (tmp_path / "tiny.align").write_text("sort A\npred p: A\nclaim c: forall a: A. p(a) or not p(a)\n"
                                         "claim d: forall a: A. p(a)\n  expect counterexample\n")
    (tmp_path / readerpage.TEMPLATE).write_text("{{verdict:tiny:c}}\n{{verdict:tiny:typo}}\n{{bogus}}\n")
    assert readerpage.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "verdict:tiny:typo" in err and "bogus" in err
    assert not (tmp_path / readerpage.PAGE).exists()


def test_generator_writes_the_page_and_warns_of_unmentioned_claims(tmp_path, capsys):
    (tmp_path / "tiny.align").write_text("sort A\npred p: A\nclaim c: forall a: A. p(a) or not p(a)\n"
                                         "claim d: forall a: A. p(a)\n  expect counterexample\n")
    (tmp_path / readerpage.TEMPLATE).write_text("{{verdict:tiny:c}} / {{used:tiny:c}}\n")
    assert readerpage.main([str(tmp_path)]) == 0
    assert "never mentions claim tiny::d" in capsys.readouterr().err
    page = (tmp_path / readerpage.PAGE).read_text()
    assert page.startswith("<!-- Generated") and "proved ✓ / none (valid on its own)" in page
    assert readerpage.main([str(tmp_path), "--check"]) == 0


# ---------------------------------------------------------------- re-pinning

def update() -> None:
    """Pin the current verdict of every claim and example of spec/."""
    table = dict(sorted(verdicts(readerpage.load_library(SPEC)).items()))
    VERDICTS.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} verdicts to {VERDICTS.relative_to(ROOT)}; review the diff")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: {UPDATE}")
    update()
