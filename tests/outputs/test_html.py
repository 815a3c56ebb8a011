"""`alignproof report`: the implication diagram read off the results, and the HTML page.

The expected arrows of Hubinger's two diagrams are written out here by hand
from the seed text ("Clarifying inner alignment terminology"): the three
paragraphs that explain the main diagram's implications, and the
robustness-centric diagram that puts robustness where intent alignment was.
"""
from __future__ import annotations

import io
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from translator.check.results import Result, Verdict
from translator.cli import dispatch
from translator.outputs.diagram import Arrow, closure, diagram, implication, mark_derived, to_dot
from translator.outputs.html import render_page
from translator.pipeline import Options, front_end, run

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
HUBINGER, ROBUSTNESS = str(SPEC / "hubinger.align"), str(SPEC / "robustness.align")
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed; the diagram is not drawn as SVG")

# The seed's main diagram, arrow by arrow ("if its direct subproblems are solved, then it should be solved").
MAIN_DIAGRAM = {
    (frozenset({"inner_aligned"}), frozenset({"objective_robust"})),
    (frozenset({"outer_aligned(base(a))", "objective_robust"}), frozenset({"intent_aligned"})),
    (frozenset({"intent_aligned", "capability_robust"}), frozenset({"impact_aligned"})),
}
# The robustness-centric diagram: robustness collects objective and capability robustness.
ROBUSTNESS_DIAGRAM = {
    (frozenset({"objective_robust", "capability_robust"}), frozenset({"robust"})),
    (frozenset({"inner_aligned"}), frozenset({"objective_robust"})),
    (frozenset({"outer_aligned(base(a))", "robust"}), frozenset({"impact_aligned"})),
}


def check(paths, options=Options()):
    """The run of `paths` with its programs, as `alignproof report` makes it."""
    outcome = run(list(paths), options, programs_needed=True)
    return outcome, list(outcome.programs)


@pytest.fixture(scope="module")
def checked():
    outcome, programs = check([HUBINGER, ROBUSTNESS])
    assert not outcome.input_error and outcome.ok
    return outcome, programs


def _program(programs, path):
    return next(p for p in programs if p.root == path)


def _arrows(picture, verdict, derived=False):
    label = {n.key: n.label for n in picture.nodes}
    return {(frozenset(label[k] for k in a.hypotheses), frozenset(label[k] for k in a.conclusions))
            for a in picture.arrows if a.verdict is verdict and a.derived == derived}


# ---------------------------------------------------------------- the diagrams of spec/

def test_hubinger_draws_the_main_diagram(checked):
    outcome, programs = checked
    picture = diagram(_program(programs, HUBINGER), outcome.results)
    assert _arrows(picture, Verdict.PROVED) == MAIN_DIAGRAM
    # The composed claim is proved too, but it is the three arrows chained: drawn thin.
    derived = [a for a in picture.arrows if a.derived]
    assert [a.claims for a in derived] == [("leaves_imply_impact",)]
    assert _arrows(picture, Verdict.COUNTEREXAMPLE) == {
        (frozenset({"inner_aligned_vacuously"}), frozenset({"objective_robust"})),
        (frozenset({"intent_aligned", "capability_robust_in_deployment_only"}), frozenset({"impact_aligned"})),
    }
    assert picture.left_out == ("behavioral_need_not_equal_mesa",)


def test_robustness_draws_the_robustness_centric_diagram(checked):
    outcome, programs = checked
    picture = diagram(_program(programs, ROBUSTNESS), outcome.results)
    assert _arrows(picture, Verdict.PROVED) == ROBUSTNESS_DIAGRAM
    assert [a.claims for a in picture.arrows if a.derived] == [("leaves_imply_impact_via_robustness",)]


def test_every_converse_is_a_refuted_arrow(checked):
    """"(though not necessarily vice versa)": the converse of each arrow of both diagrams is dashed."""
    outcome, programs = checked
    refuted = _arrows(diagram(_program(programs, ROBUSTNESS), outcome.results), Verdict.COUNTEREXAMPLE)
    for hypotheses, conclusions in MAIN_DIAGRAM | ROBUSTNESS_DIAGRAM:
        assert (conclusions, hypotheses) in refuted


@needs_dot
def test_refuted_arrows_link_to_their_counterexamples(checked):
    outcome, programs = checked
    page = render_page(outcome, [HUBINGER, ROBUSTNESS], dot=DOT)
    figures = re.findall(r'<figure class="diagram">(.*?)</figure>', page, re.S)
    assert len(figures) == 2 and all(f.startswith("<svg") for f in figures)
    for name in ("vacuous_inner_reading_breaks_first_arrow", "deployment_only_reading_breaks_third_arrow"):
        assert f'xlink:href="#cex-{name}"' in figures[0]
        assert f'<section class="model" id="cex-{name}">' in page
    # A refuted converse is not drawn: it is in the list under the picture, linked to its counterexample.
    assert 'xlink:href="#cex-converse_robust_implies_capability_robust"' not in figures[1]
    folded = page[page.index('<details class="folded" open>'):]
    assert '<a href="#cex-converse_robust_implies_capability_robust">' in folded[:folded.index("</details>")]
    assert "cex-leaves_imply_impact" not in page  # proved: it links to its row of the table
    assert 'xlink:href="#claim-leaves_imply_impact"' in figures[0]


def test_refuted_converses_are_folded_and_readings_stay_drawn(checked):
    """The robustness diagram's converses (down the bold arrows) and arrows across are listed by the
    node they start from; a refuted arrow up the bold arrows (a reading that breaks one) is drawn."""
    outcome, programs = checked
    hubinger = diagram(_program(programs, HUBINGER), outcome.results)
    assert not any(a.folded for a in hubinger.arrows)
    picture = diagram(_program(programs, ROBUSTNESS), outcome.results)
    label = {n.key: n.label for n in picture.nodes}
    folded = {(frozenset(label[k] for k in a.hypotheses), frozenset(label[k] for k in a.conclusions))
              for a in picture.arrows if a.folded}
    assert all(a.verdict is Verdict.COUNTEREXAMPLE for a in picture.arrows if a.folded)
    outer = "outer_aligned(base(a))"
    assert folded == {(frozenset({start}), frozenset(ends)) for start, ends in (
        ("objective_robust", {"inner_aligned"}),
        ("robust", {"intent_aligned"}), ("robust", {"objective_robust", "capability_robust"}),
        ("robust", {"objective_robust"}), ("robust", {"capability_robust"}),
        ("impact_aligned", {"intent_aligned", "capability_robust"}), ("impact_aligned", {"intent_aligned"}),
        ("impact_aligned", {"capability_robust"}), ("impact_aligned", {outer, "robust"}),
        ("impact_aligned", {outer}), ("impact_aligned", {"robust"}),
        ("intent_aligned", {outer, "objective_robust"}), ("intent_aligned", {outer}))}
    drawn = {a.claim for a in picture.arrows if a.verdict is Verdict.COUNTEREXAMPLE and not a.folded}
    assert drawn == {"intent_does_not_imply_robust", "converse_intent_implies_objective_robust",
                     "deployment_only_reading_breaks_last_arrow"}
    text = to_dot(picture, "r", lambda a: f"#{a.claim}")
    for arrow in picture.arrows:
        assert (f'href="#{arrow.claim}"' in text) is (not arrow.folded)
    # impact_aligned starts six of them: its node says so and links to its entry of the list.
    impact = next(i for i, n in enumerate(picture.nodes) if n.label == "impact_aligned")
    assert re.search(rf'n{impact} \[id="r-n{impact}", label=<impact_aligned<br/><font [^>]*>6 refuted below</font>>, '
                     rf'.*href="#r-folded-n{impact}"', text)


@needs_dot
def test_the_folded_list_is_under_the_picture_and_every_entry_is_reachable(checked):
    outcome, programs = checked
    page = render_page(outcome, [HUBINGER, ROBUSTNESS], dot=DOT)
    part = page[page.index(f"<h2>{ROBUSTNESS}</h2>"):]
    part = part[part.index('<figure class="diagram">'):part.index("Claims and examples")]
    folded = part[part.index('<details class="folded" open>'):]
    entries = re.findall(r'<li id="([^"]+)">(.*?) does not imply<ul>(.*?)</ul></li>', folded, re.S)
    assert len(entries) == 4 and sum(item.count("<li>") for _, _, item in entries) == 13
    parsed = _parse(page)
    figure = part[:part.index("</figure>")]
    for anchor, _, items in entries:
        assert anchor in parsed.ids
        if anchor.count("-n") == 1:  # one node: its box links to the entry
            assert f'xlink:href="#{anchor}"' in figure
        for target in re.findall(r'<a href="#(cex-[^"]+)">', items):
            assert f'<section class="model" id="{target}">' in page
    assert "n refuted below</span> under a node" in part


# ---------------------------------------------------------------- extraction on small specs

def _results(program, verdicts):
    return [Result(program.root, q.name, q.kind.value, verdicts[q.name], q.expect, True, 0.0)
            for q in program.queries]


def _spec(tmp_path, text, name="small.align"):
    path = tmp_path / name
    path.write_text("sort T\nfun f: T -> T\npred p: T\npred q: T\npred r: T\n"
                    "def dp(x: T) := p(x)\ndef dq(x: T) := q(x)\ndef dr(x: T) := r(x)\n" + text)
    programs, diags, _ = front_end([str(path)])
    assert not diags, diags
    return programs[0]


def test_two_claims_both_ways_are_one_equivalence(tmp_path):
    program = _spec(tmp_path, "claim there: forall x: T. dp(x) -> dq(x)\n"
                              "claim back: forall y: T. dq(y) -> dp(y)\n"
                              "claim same: forall x: T. dp(x) <-> dr(x)\n")
    picture = diagram(program, _results(program, dict.fromkeys(("there", "back", "same"), Verdict.PROVED)))
    assert [(a.claims, a.both_ways) for a in picture.arrows] == [(("there", "back"), True), (("same",), True)]
    assert 'dir=both' in to_dot(picture, "s", lambda a: "#x")


def test_refuted_claims_both_ways_stay_two_arrows(tmp_path):
    program = _spec(tmp_path, "claim there: forall x: T. dp(x) -> dq(x)\n"
                              "claim back: forall y: T. dq(y) -> dp(y)\n")
    picture = diagram(program, _results(program, dict.fromkeys(("there", "back"), Verdict.COUNTEREXAMPLE)))
    assert [a.claims for a in picture.arrows] == [("there",), ("back",)]
    assert not any(a.both_ways for a in picture.arrows)


def test_nodes_abstract_the_variable(tmp_path):
    program = _spec(tmp_path, "claim one: forall x: T. dp(f(x)) -> dq(x)\n"
                              "claim two: forall m: T. dr(m) -> dp(f(m))\n")
    picture = diagram(program, _results(program, {"one": Verdict.PROVED, "two": Verdict.PROVED}))
    assert [n.label for n in picture.nodes] == ["dp(f(x))", "dq", "dr"]
    assert picture.arrows[1].conclusions == picture.arrows[0].hypotheses


def test_what_is_not_an_implication_between_definitions_is_left_out(tmp_path):
    program = _spec(tmp_path, "claim pred_atom: forall x: T. p(x) -> dq(x)\n"
                              "claim two_vars: forall x, y: T. dp(x) -> dq(y)\n"
                              "claim negated: forall x: T. dp(x) -> not dq(x)\n"
                              "claim drawn: forall x: T. dp(x) and dq(x) -> dr(x)\n"
                              "example ex: exists x: T. dp(x)\n")
    verdicts = dict.fromkeys(("pred_atom", "two_vars", "negated", "drawn"), Verdict.PROVED)
    picture = diagram(program, _results(program, {**verdicts, "ex": Verdict.WITNESS}))
    assert picture.left_out == ("pred_atom", "two_vars", "negated")
    assert [a.claims for a in picture.arrows] == [("drawn",)]
    assert implication(program.queries[3].formula) is not None


def test_unchecked_claims_are_not_drawn(tmp_path):
    program = _spec(tmp_path, "claim a1: forall x: T. dp(x) -> dq(x)\nclaim a2: forall x: T. dq(x) -> dr(x)\n")
    results = [r for r in _results(program, dict.fromkeys(("a1", "a2"), Verdict.PROVED)) if r.name == "a2"]
    picture = diagram(program, results)
    assert [a.claims for a in picture.arrows] == [("a2",)]


def test_derived_arrows_leave_a_set_that_still_yields_them():
    def arrow(name, hyps, concls):
        return Arrow((name,), tuple(hyps), tuple(concls), Verdict.PROVED)
    arrows = [arrow("ab", "a", "b"), arrow("bc", "b", "c"), arrow("ac", "a", "c"),
              arrow("a_bd", "a", "bd"), arrow("ad", "a", "d"), arrow("xy", "x", "y")]
    marked = mark_derived(arrows)
    assert {a.claim for a in marked if a.derived} == {"ac", "a_bd"}
    kept = [(a.hypotheses, a.conclusions) for a in marked if not a.derived]
    for a in marked:
        assert set(a.conclusions) <= closure(set(a.hypotheses), kept)


def test_refuted_arrows_are_never_derived():
    arrows = [Arrow(("ab",), ("a",), ("b",), Verdict.PROVED), Arrow(("ab2",), ("a",), ("b",), Verdict.COUNTEREXAMPLE)]
    assert [a.derived for a in mark_derived(arrows)] == [False, False]


# ---------------------------------------------------------------- the page

class _Checker(HTMLParser):
    """Collects ids, local links, external references, and tag balance."""

    VOID = {"meta", "br", "input", "img", "link", "hr", "col", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.links, self.external = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id":
                self.ids.append(value)
            if key in ("href", "xlink:href", "src") and value is not None:
                (self.links if value.startswith("#") else self.external).append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _parse(page: str) -> _Checker:
    parser = _Checker()
    parser.feed(page)
    parser.close()
    return parser


@pytest.mark.parametrize("use_dot", [True, False])
def test_page_is_well_formed_and_self_contained(checked, use_dot):
    if use_dot and DOT is None:
        pytest.skip("Graphviz `dot` is not installed")
    outcome, programs = checked
    page = render_page(outcome, [HUBINGER, ROBUSTNESS], use_dot=use_dot)
    parsed = _parse(page)
    assert parsed.errors == [] and parsed.stack == []
    assert parsed.external == []
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:|//)", page, re.I)
    assert not re.search(r"<script|<link|@import|url\(", page, re.I)
    assert len(parsed.ids) == len(set(parsed.ids))
    assert {link[1:] for link in parsed.links} <= set(parsed.ids)
    # The diagram comes first in each file's part, then the tables.
    for path in (HUBINGER, ROBUSTNESS):
        part = page[page.index(f"<h2>{path}</h2>"):]
        assert part.index("Implication diagram") < part.index("Claims and examples") < part.index("Counterexamples")


def test_without_dot_the_arrows_are_listed(checked):
    outcome, programs = checked
    page = render_page(outcome, [HUBINGER], use_dot=False)
    assert '<figure class="diagram">' not in page
    assert "Graphviz (`dot`) was not found: the diagram is shown as a list of arrows." in page
    assert ('<li class="arrow counterexample"><code>inner_aligned_vacuously -&gt; objective_robust</code>'
            in page)
    assert '<a href="#cex-vacuous_inner_reading_breaks_first_arrow">' in page


def test_everything_from_the_spec_is_escaped(tmp_path):
    path = tmp_path / 'odd <b>&"name.align'
    path.write_text('sort T\npred p: T\npred q: T\n'
                    '# </title><script>alert("doc")</script> & more\n'
                    'def dp(x: T) := p(x)\ndef dq(x: T) := q(x)\n'
                    "claim refuted: forall x: T. dp(x) -> dq(x)\n  expect counterexample\n")
    outcome, programs = check([str(path)])
    assert outcome.ok
    page = render_page(outcome, [str(path)], dot=DOT)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert(&quot;doc&quot;)&lt;/script&gt; &amp; more" in page
    assert "odd &lt;b&gt;&amp;&quot;name.align" in page
    parsed = _parse(page)
    assert parsed.errors == [] and parsed.external == []
    assert {link[1:] for link in parsed.links} <= set(parsed.ids)


def test_duplicate_names_across_files_get_distinct_anchors(tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.align").write_text("sort T\npred p: T\ndef d(x: T) := p(x)\n"
                                                 "claim same: forall x: T. d(x) -> not d(x)\n"
                                                 "  expect counterexample\n")
    outcome, programs = check([str(tmp_path)], Options(timeout=5))
    page = render_page(outcome, [str(tmp_path)], use_dot=False)
    parsed = _parse(page)
    assert len(parsed.ids) == len(set(parsed.ids))
    assert sum(1 for i in parsed.ids if i.startswith("cex-") and i.endswith("--same")) == 2


# ---------------------------------------------------------------- the command

def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    return dispatch(list(argv), out, err), out.getvalue(), err.getvalue()


def test_report_command_writes_the_page(tmp_path):
    target = tmp_path / "report.html"
    status, out, err = _cli("report", HUBINGER, "-o", str(target), "--timeout", "5", "--jobs", "1")
    assert status == 0, err
    assert f"wrote {target}" in out and "7 checked: 7 ok, 0 failed" in out
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_command_exit_1_when_a_result_fails(tmp_path):
    spec = tmp_path / "bad.align"
    spec.write_text("sort T\npred p: T\ndef d(x: T) := p(x)\nclaim wrong: forall x: T. d(x)\n")
    status, _, _ = _cli("report", str(spec), "-o", str(tmp_path / "r.html"), "--jobs", "1")
    assert status == 1
    assert 'class="failed"' in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_report_command_input_errors(tmp_path):
    bad = tmp_path / "bad.align"
    bad.write_text("claim broken: forall x: Nope. x = x\n")
    status, _, err = _cli("report", str(bad), "-o", str(tmp_path / "r.html"))
    assert status == 2 and f"{bad}:1:" in err and "error" in err
    assert not (tmp_path / "r.html").exists()
    assert _cli("report", str(bad))[0] == 2  # -o is required
    status, _, err = _cli("report", HUBINGER, "-o", str(tmp_path / "no" / "such" / "dir.html"), "--jobs", "1")
    assert status == 2 and "cannot write" in err


def _has_cvc5() -> bool:
    try:
        import cvc5  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_cvc5(), reason="the cvc5 package (pip install 'alignproof[cross-check]') is not installed")
def test_report_cross_check_shows_the_second_solver_beside_each_verdict(tmp_path):
    target = tmp_path / "report.html"
    status, out, err = _cli("report", HUBINGER, "-o", str(target), "--timeout", "5", "--jobs", "1",
                            "--cross-check")
    assert status == 0, err
    page = target.read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="claim-[^"]*".*?</tr>', page, flags=re.S)
    assert len(rows) == 7
    for row in rows:  # every result carries cvc5's answer, and it agrees
        assert re.search(r'<div class="cross-check agrees">cross-check: cvc5 [0-9.]+ agrees \((un)?sat', row), row
    assert 'class="cross-check disagrees"' not in page


def test_report_without_cross_check_says_nothing_of_a_second_solver(tmp_path):
    target = tmp_path / "report.html"
    assert _cli("report", HUBINGER, "-o", str(target), "--timeout", "5", "--jobs", "1")[0] == 0
    assert 'class="cross-check' not in target.read_text(encoding="utf-8")


def test_report_cross_check_without_cvc5_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "cvc5", None)  # import cvc5 now raises ImportError
    target = tmp_path / "report.html"
    status, _, err = _cli("report", HUBINGER, "-o", str(target), "--jobs", "1", "--cross-check")
    assert status == 2 and "Traceback" not in err
    assert "--cross-check needs the cvc5 package" in err and "pip install 'alignproof[cross-check]'" in err
    assert not target.exists()


def test_bridges_list_the_queries_that_use_them(tmp_path):
    path = tmp_path / "bridged.align"
    path.write_text("sort A\nsort B\npred p: B\npred q: A\n"
                    "# reads an A as a B\nbridge read: A -> B\nbridge unused: A -> B\n"
                    "def through(x: A) := p(read(x))\n"
                    "claim direct: forall x: A. p(read(x)) -> p(read(x))\n"
                    "claim via_def: forall x: A. through(x) -> through(x)\n"
                    "claim without: forall x: A. q(x) -> q(x)\n")
    outcome, programs = check([str(path)])
    assert outcome.ok
    page = render_page(outcome, [str(path)], use_dot=False)
    table = page[page.index('<table class="bridges">'):]
    table = table[:table.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert [re.search(r"<code[^>]*>(?:<span[^>]*>)?(\w+)", r).group(1) for r in rows] == ["read", "unused"]
    assert re.findall(r'href="#claim-(\w+)"', rows[0]) == ["direct", "via_def"]
    assert "reads an A as a B" in rows[0] and ">none<" in rows[1]
