"""Readings checked (LANGUAGE.md §6.2): every query under base and under each reading, each
reading's axioms tested on their own, results tagged with their reading; and checking a reading
equals checking a copy of the file with the reading applied by hand (generated specs)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from specgen import specs

from translator.check.results import Verdict
from translator.logic import core
from translator.options import Options
from translator.outputs import write
from translator.pipeline import front_end, run

ONE = Options(jobs=1, timeout=10.0)

SPEC = """sort Agent
pred good: Agent
pred safe: Agent
def ok(a: Agent) := good(a) and safe(a)
axiom goods: forall a: Agent. good(a)
claim c1: forall a: Agent. ok(a) -> safe(a)
  expect counterexample in loose
claim c2: forall a: Agent. ok(a)
  expect counterexample
claim nothing: false
  expect counterexample
reading loose:
  def ok(a: Agent) := good(a)
end
reading strict:
  drop axiom goods
  axiom safes: forall a: Agent. safe(a)
end
"""


def checked(tmp_path: Path, text: str, options: Options = ONE):
    path = tmp_path / "spec.align"
    path.write_text(text, encoding="utf-8")
    return run([str(path)], options)


def test_every_query_is_checked_under_base_and_each_reading(tmp_path):
    outcome = checked(tmp_path, SPEC)
    cells = {(r.name, r.reading or "base"): r for r in outcome.results}
    assert set(cells) == {(n, r) for n in ("c1", "c2", "nothing") for r in ("base", "loose", "strict")}
    assert cells["c1", "base"].verdict is Verdict.PROVED
    assert cells["c1", "loose"].verdict is Verdict.COUNTEREXAMPLE and cells["c1", "loose"].ok  # pinned
    assert cells["c1", "strict"].verdict is Verdict.PROVED
    assert cells["c2", "loose"].verdict is Verdict.PROVED and cells["c2", "loose"].used == ("goods",)
    assert not cells["c2", "loose"].ok  # the claim's own expectation holds in every reading not pinned
    assert cells["c2", "strict"].verdict is Verdict.COUNTEREXAMPLE
    assert all(cells["nothing", r].verdict is Verdict.COUNTEREXAMPLE for r in ("base", "loose", "strict"))
    assert not outcome.ok


def test_json_results_carry_the_reading(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    write("json", checked(tmp_path, SPEC), out, err, 0.0)
    doc = json.loads(out.getvalue())
    assert [(r["name"], r["reading"]) for r in doc["results"] if r["name"] == "c1"] == \
        [("c1", "base"), ("c1", "loose"), ("c1", "strict")]
    assert doc["summary"]["total"] == 9


def test_text_shows_readings_only_where_they_differ(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    write("text", checked(tmp_path, SPEC), out, err, 0.0)
    text = out.getvalue()
    assert "(readings: loose, strict)" in text
    assert "claim nothing: counterexample  (as expected)" in text and "(the same under every reading)" in text
    assert "in loose: proved  (expected counterexample)" in text
    assert "9 checked: 8 ok, 1 failed" in text


def test_each_readings_axioms_are_tested_on_their_own(tmp_path):
    outcome = checked(tmp_path, "sort S\npred p: S\naxiom some: exists x: S. p(x)\n"
                      "claim c: exists x: S. p(x)\n"
                      "reading broken:\n  axiom none: forall x: S. not p(x)\nend\n")
    by_reading = {r.reading or "base": r for r in outcome.results}
    assert by_reading["base"].verdict is Verdict.PROVED and by_reading["base"].ok
    assert by_reading["broken"].verdict is not Verdict.PROVED and not by_reading["broken"].ok
    (diag,) = [d for d in outcome.diagnostics if d.code == "inconsistent-axioms"]
    assert diag.message.startswith("in reading 'broken', ")
    assert "none" in diag.message and "some" in diag.message


def test_claim_selects_the_claim_in_every_reading(tmp_path):
    outcome = checked(tmp_path, SPEC, Options(jobs=1, timeout=10.0, claims=("c2",)))
    assert sorted((r.name, r.reading) for r in outcome.results) == \
        [("c2", "base"), ("c2", "loose"), ("c2", "strict")]


# ---------------------------------------------------------------- a reading equals the file rewritten

def _tail(line: str) -> str:
    """A claim's formula without its name and options."""
    body = line.split(":", 1)[1]
    return re.sub(r"(\s+within \d+)?(\s+expect \w+)?\s*$", "", body).strip()


def _variation(text: str, program: core.Program, draw) -> tuple[str, str] | None:
    """A reading of `text` (replacing a Bool definition by its negation, dropping an axiom, adding a
    claim's formula as an axiom) and the file with the same changes made by hand."""
    lines = text.splitlines()
    bools = [d for d in program.definitions if d.sort == core.BOOL]
    axioms = [i for i, line in enumerate(lines) if line.startswith("axiom ")]
    claims = [line for line in lines if line.startswith("claim ")]
    reading, copy = ["reading r:"], list(lines)
    if bools and draw(st.booleans()):
        target = draw(st.sampled_from(bools)).name
        index = next(i for i, line in enumerate(lines) if re.match(rf"def {target}\b", line))
        head, body = lines[index].split(" := ", 1)
        replaced = f"{head} := not ({body})"
        reading.append("  " + replaced)
        copy[index] = replaced
    if axioms and draw(st.booleans()):
        index = draw(st.sampled_from(axioms))
        reading.append(f"  drop axiom {lines[index].split()[1].rstrip(':')}")
        copy[index] = ""
    if claims and draw(st.booleans()):
        added = f"axiom added_in_r: {_tail(draw(st.sampled_from(claims)))}"
        reading.append("  " + added)
        copy.append(added)
    if len(reading) == 1:
        return None
    return "\n".join([*lines, *reading, "end"]) + "\n", "\n".join(copy) + "\n"


def _verdicts(outcome, reading: str | None) -> dict[str, Verdict]:
    return {r.name: r.verdict for r in outcome.results if (r.reading or "base") == (reading or "base")}


def _inconsistent(outcome) -> bool:
    return any(d.code == "inconsistent-axioms" for d in outcome.diagnostics)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_checking_a_reading_equals_checking_the_file_rewritten_by_hand(tmp_path, data):
    text = data.draw(specs(max_space=1024))
    source = tmp_path / "base.align"
    source.write_text(text, encoding="utf-8")
    (program,), diags, _ = front_end([str(source)])
    assert not diags
    made = _variation(text, program, data.draw)
    event("a reading" if made is not None else "nothing to vary")
    if made is None:
        return
    with_reading, by_hand = made
    (tmp_path / "read.align").write_text(with_reading, encoding="utf-8")
    (tmp_path / "hand.align").write_text(by_hand, encoding="utf-8")
    options = Options(jobs=1, timeout=10.0)
    read = run([str(tmp_path / "read.align")], options)
    hand = run([str(tmp_path / "hand.align")], options)
    if read.input_error and any(d.code == "empty-reading" for d in read.diagnostics):
        event("the negation was the definition's wording")
        return
    assert not read.input_error and not hand.input_error, [d.message for d in (*read.diagnostics, *hand.diagnostics)]
    in_reading, rewritten = _verdicts(read, "r"), _verdicts(hand, None)
    assert in_reading.keys() == rewritten.keys()
    event("readings' verdicts differ from base's" if in_reading != _verdicts(read, None) else "same as base")
    for name, verdict in in_reading.items():
        if Verdict.UNKNOWN not in (verdict, rewritten[name]):
            assert verdict is rewritten[name], (name, with_reading)
    base_inconsistent = any(d.code == "inconsistent-axioms" and "in reading" not in d.message
                            for d in read.diagnostics)
    reading_inconsistent = any(d.code == "inconsistent-axioms" and "in reading 'r'" in d.message
                               for d in read.diagnostics)
    assert reading_inconsistent == _inconsistent(hand)
    assert _verdicts(read, None) == _verdicts(run([str(source)], options), None) or base_inconsistent
