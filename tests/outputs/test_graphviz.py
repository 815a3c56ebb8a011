"""Pictures without the Graphviz binary (translator/outputs/graphviz.py): `dot` hidden from PATH, the
bundled graphviz-pure draws every picture of `check --export` and `report`, and the user is told once."""
from __future__ import annotations

import io
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from translator.cli import dispatch
from translator.outputs import graphviz
from translator.outputs.graphviz import Engine, EngineKind, Graphviz, find_engine

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
HUBINGER, ROBUSTNESS = str(SPEC / "hubinger.align"), str(SPEC / "robustness.align")
SVG = "{http://www.w3.org/2000/svg}"
DOT = shutil.which("dot")
FALLBACK_NOTE = "installing Graphviz (https://graphviz.org/download/) gives the better layout"

# A model with every kind of row: a constant, unary and binary functions and predicates, a ternary
# predicate and a two-argument function (tables), an integer-valued function, and the witness.
SMALL = """\
sort Agent
sort Dist = {train, deploy}
const champion: Agent
fun rival: Agent -> Agent
fun judge: Agent, Dist -> Agent
fun score: Agent -> Int
pred prefers: Agent, Agent
pred does_well: Agent, Agent, Dist

def robust(a: Agent) := forall d: Dist. does_well(a, champion, d)

claim judged: forall a: Agent. prefers(a, rival(a)) and score(a) > 0 -> judge(a, train) = judge(a, deploy)
  expect counterexample
claim robust_rival: forall a: Agent. robust(a) -> robust(rival(a))
  expect counterexample
"""


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """PATH without `dot` (nor anything else); the bundled engine is still found beside this Python."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None
    engine = find_engine()
    if engine is None:
        pytest.skip("graphviz-pure is not installed (its wheels cover Linux, macOS and Windows on x86-64 and ARM64)")
    return engine


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    return dispatch(list(argv), out, err), out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- what DOT asks for, what SVG shows

_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*'
_NODE = re.compile(rf"^\s*({_ID}) \[", re.M)
_EDGE = re.compile(rf"^\s*({_ID}) -> ({_ID})(?: \[|;)", re.M)


def _unquote(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name[1:-1]) if name.startswith('"') else name


def dot_parts(text: str) -> tuple[set[str], Counter]:
    """The nodes and edges (with multiplicity) that our DOT text declares."""
    nodes = {_unquote(n) for n in _NODE.findall(text)} - {"graph", "node", "edge"}
    edges = Counter(f"{_unquote(a)}->{_unquote(b)}" for a, b in _EDGE.findall(text))
    return nodes, edges


def svg_parts(root: ET.Element) -> tuple[set[str], Counter, list[str]]:
    """The nodes and edges of a Graphviz SVG (by their titles), and all its text."""
    def titles(kind):
        return [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")
                if kind in (g.get("class") or "").split()]
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    return set(titles("node")), Counter(titles("edge")), texts


def _labels(text: str) -> list[str]:
    """Every line of every plain label of our DOT text, and every cell of its HTML-like tables."""
    lines = [part for label in re.findall(r'label="((?:[^"\\]|\\.)*)"', text)
             for part in re.split(r"\\[nl]", label) if part]
    cells = re.findall(r"<td[^>]*>(?:<[bi]>)?([^<]+)", text)
    return [_unquote(f'"{line}"') for line in lines] + [c.replace("&amp;", "&") for c in cells]


def assert_draws_everything(dot_text: str, svg_text: str) -> ET.Element:
    root = ET.fromstring(svg_text)
    assert root.tag == f"{SVG}svg"
    nodes, edges, texts = svg_parts(root)
    want_nodes, want_edges = dot_parts(dot_text)
    assert nodes == want_nodes and edges == want_edges
    shown = " ".join(texts)
    for label in _labels(dot_text):
        assert label.strip() in shown, label
    return root


# ---------------------------------------------------------------- the runner

def test_dot_is_preferred_when_it_is_on_path():
    if DOT is None:
        pytest.skip("Graphviz `dot` is not installed")
    assert find_engine() == Engine(DOT, EngineKind.GRAPHVIZ)


def test_without_dot_the_bundled_engine_is_found_beside_python(no_dot):
    assert no_dot.kind is EngineKind.BUNDLED and Path(no_dot.command).name.startswith("graphviz-pure")
    runner = Graphviz.find()
    drawn, why = runner.svg('digraph g { a -> b [label="x"]; }')
    assert why == "" and drawn is not None and runner.fell_back
    assert_draws_everything('digraph g {\n  a [label="a"];\n  b [label="b"];\n  a -> b [label="x"];\n}', drawn)
    assert FALLBACK_NOTE in runner.note()


def test_a_failing_engine_says_why_and_nothing_at_all_says_so(tmp_path):
    broken = tmp_path / "dot"
    broken.write_text("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 1\n")
    broken.chmod(0o755)
    drawn, why = Graphviz(Engine(str(broken), EngineKind.GRAPHVIZ)).svg("digraph {")
    assert drawn is None and why == "Graphviz failed: syntax error in line 1"
    runner = Graphviz(None)
    assert runner.svg("digraph g {}") == (None, "Graphviz (`dot`) was not found")
    assert "no pictures were drawn" in runner.note()
    assert Graphviz(None).note() is None  # nothing asked, nothing to say


# ---------------------------------------------------------------- check --export and report without dot

def test_export_without_dot_draws_every_node_edge_and_label(no_dot, tmp_path):
    spec = tmp_path / "small.align"
    spec.write_text(SMALL)
    out = tmp_path / "out"
    status, _, err = _cli("check", str(spec), HUBINGER, "--export", str(out), "--jobs", "1")
    assert status == 0, err
    dots = sorted(out.glob("*.dot"))
    assert len(dots) >= 4
    for dot in dots:
        svg = dot.with_suffix(".svg")
        assert svg.exists(), svg.name
        text = svg.read_text(encoding="utf-8")
        assert not re.search(r"(href|src)=\"(?!#)|url\(|<image|<script", text)  # self-contained
        assert_draws_everything(dot.read_text(encoding="utf-8"), text)
    assert err.count(FALLBACK_NOTE) == 1 and "not exported" not in err


def test_export_with_no_engine_at_all_writes_no_svg_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(graphviz, "find_engine", lambda: None)
    spec = tmp_path / "small.align"
    spec.write_text(SMALL)
    status, _, err = _cli("check", str(spec), "--export", str(tmp_path / "out"), "--jobs", "1")
    assert status == 0  # as before: no picture is no refusal
    assert list((tmp_path / "out").glob("*.dot")) and not list((tmp_path / "out").glob("*.svg"))
    assert err.count("no pictures were drawn: neither Graphviz's `dot` nor graphviz-pure was found") == 1


def test_report_without_dot_draws_the_diagrams_and_the_models(no_dot, tmp_path):
    target = tmp_path / "report.html"
    status, _, err = _cli("report", HUBINGER, ROBUSTNESS, "-o", str(target), "--jobs", "1")
    assert status == 0, err
    assert err.count(FALLBACK_NOTE) == 1
    page = target.read_text(encoding="utf-8")
    assert "shown as a list of arrows" not in page and "shown as tables only" not in page
    figures = re.findall(r'<figure class="diagram">(.*?)</figure>', page, re.S)
    assert len(figures) == 2
    for figure, path in zip(figures, (HUBINGER, ROBUSTNESS)):
        root = ET.fromstring(figure)
        nodes, edges, _ = svg_parts(root)
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-")
        ids = {g.get("id") for g in root.iter(f"{SVG}g")}
        assert {f"{slug}-{n}" for n in nodes if n.startswith("n")} <= ids
        assert any(f"{slug}-arrow-" in (i or "") for i in ids) and edges
        links = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")} - {None}
        assert all(link.startswith("#") and f'id="{link[1:]}"' in page for link in links)
    classes = " ".join(g.get("class") or "" for g in ET.fromstring(figures[0]).iter(f"{SVG}g"))
    assert {"proved", "derived", "refuted"} <= set(classes.split())
    joints = [n for n in svg_parts(ET.fromstring(figures[0]))[0] if n.startswith("j")]
    assert len(joints) >= 3  # conjunctions join at a dot: a hyperedge through a point node
    folded = [g for g in ET.fromstring(figures[1]).iter(f"{SVG}g") if g.get("class") == "node has-folded"]
    assert len(folded) == 4  # the robustness diagram's nodes that start folded converses
    dashed = [p for p in ET.fromstring(figures[0]).iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert dashed and all(p.get("stroke") == "#c62828" for p in dashed)  # refuted: dashed and red
    pictures = re.findall(r'<figure class="model-picture">(.*?)<figcaption>', page, re.S)
    assert len(pictures) == page.count('<section class="model"') and pictures
    for picture in pictures:
        ET.fromstring(picture)


@pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed: nothing to compare with")
def test_the_bundled_engine_keeps_what_dot_writes():
    """Same nodes, edges, ids, classes and links from both engines, for every picture of spec/."""
    from translator.check.results import Verdict
    from translator.outputs.diagram import diagram, to_dot
    from translator.outputs.modelgraph import dot_graph
    from translator.pipeline import run

    bundled = graphviz._bundled()
    if bundled is None:
        pytest.skip("graphviz-pure is not installed")
    outcome = run([str(SPEC)], programs_needed=True)
    programs = outcome.programs
    texts = [to_dot(diagram(p, outcome.results), "d", lambda a: f"#{a.claim}") for p in programs]
    texts = [t for t in texts if " -> " in t]
    by_file = {p.root: p for p in programs}
    texts += [dot_graph(by_file[r.file], r) for r in outcome.results
              if r.verdict in (Verdict.COUNTEREXAMPLE, Verdict.WITNESS) and r.model is not None]
    assert len(texts) >= 50
    engines = Graphviz(Engine(DOT, EngineKind.GRAPHVIZ)), Graphviz(Engine(bundled, EngineKind.BUNDLED))

    def summary(root):
        groups = sorted((g.get("id") or "", g.get("class") or "") for g in root.iter(f"{SVG}g"))
        links = sorted(a.get("{http://www.w3.org/1999/xlink}href") or "" for a in root.iter(f"{SVG}a"))
        return groups, links, svg_parts(root)[:2]
    for text in texts:
        dot_svg, bundled_svg = (ET.fromstring(engine.svg(text)[0]) for engine in engines)
        assert summary(dot_svg) == summary(bundled_svg), text[:80]
