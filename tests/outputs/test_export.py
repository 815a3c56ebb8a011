"""`check --export DIR` (translator/outputs/export.py): files people can take away, and only re-checked ones."""
from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from translator.check.results import Verdict
from translator.cli import dispatch
from translator.logic.model import Table
from translator.outputs.export import dot_graph, export, recheck
from translator.pipeline import Options, front_end, run

ROOT = Path(__file__).resolve().parents[2]

SPEC = """\
sort Agent
sort Dist = {train, deploy}
const champion: Agent
pred does_well: Agent, Dist
fun rival: Agent -> Agent

def robust(a: Agent) := forall d: Dist. does_well(a, d)

axiom champion_trains_well: does_well(champion, train)

claim training_is_enough: forall a: Agent. does_well(a, train) -> robust(a)
  expect counterexample

claim champion_trains: does_well(champion, train)

example robust_rival: exists a: Agent. robust(rival(a)) and not robust(a)
"""

DOT = shutil.which("dot")
Z3 = shutil.which("z3")
CVC5 = shutil.which("cvc5")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not on PATH (apt-get install graphviz)")


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "small.align"
    path.write_text(SPEC)
    return path


@pytest.fixture(scope="module")
def exported(spec, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("export")
    stdout, stderr = io.StringIO(), io.StringIO()
    status = dispatch(["check", str(spec), "--export", str(out_dir)], stdout, stderr)
    assert status == 0, stdout.getvalue() + stderr.getvalue()
    assert "exported" in stderr.getvalue()
    return out_dir


def test_each_model_gets_its_files_and_every_query_its_script(exported):
    names = sorted(p.name for p in exported.iterdir())
    for stem in ("training_is_enough", "robust_rival"):
        for suffix in (".json", ".md", ".tex", ".dot", ".smt2"):
            assert stem + suffix in names
    assert "champion_trains.smt2" in names
    assert "champion_trains.json" not in names  # proved: no model to take away


def test_json_holds_model_explanation_and_the_recheck(exported):
    doc = json.loads((exported / "training_is_enough.json").read_text())
    assert doc["verdict"] == "counterexample" and doc["rechecked"] is True
    assert set(doc["model"]) == {"sorts", "symbols"}
    assert doc["explanation"]["steps"][-1]["role"] == "conclusion"
    assert doc["explanation"]["summary"].startswith("With a = ")


def test_markdown_has_a_paragraph_and_tables(exported):
    text = (exported / "training_is_enough.md").read_text()
    assert text.startswith("# Counterexample to `training_is_enough`")
    assert "but the conclusion robust(" in text
    assert "| sort | elements |" in text
    assert "| Agent | Dist | does_well |" in text
    assert "re-checked by alignproof's own evaluator" in text
    assert (exported / "robust_rival.md").read_text().startswith("# Witness for `robust_rival`")


def test_dot_draws_elements_edges_and_labels(exported):
    text = (exported / "robust_rival.dot").read_text()
    assert text.startswith('digraph "robust_rival" {') and text.rstrip().endswith("}")
    assert "subgraph cluster_" in text and '"Dist"' in text
    assert '[label="rival"]' in text  # rival: Agent -> Agent, an edge
    assert "(witness)" in text and "penwidth" in text


@needs_dot
def test_svg_is_rendered_when_graphviz_is_present(exported):
    svg = (exported / "training_is_enough.svg").read_text()
    assert "<svg" in svg and "does_well" in svg


@needs_dot
def test_svg_renders_to_a_real_picture(exported, tmp_path):
    png = tmp_path / "picture.png"
    subprocess.run([DOT, "-Tpng", str(exported / "training_is_enough.dot"), "-o", str(png)],
                   check=True, timeout=300)
    width, height, pixels = read_png(png.read_bytes())
    assert 100 <= width <= 4000 and 100 <= height <= 4000
    assert len(set(pixels)) >= 3  # not blank: background, ink, and anti-aliasing at least
    dark = sum(1 for p in pixels if sum(p) < 200)
    assert 0.001 < dark / len(pixels) < 0.5


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGB(A) pixels of an 8-bit non-interlaced PNG (what Graphviz writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[x * channels:x * channels + 3]) for row in rows for x in range(width)]
    return width, height, pixels


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    p = left + up - corner
    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
    return left if pa <= pb and pa <= pc else up if pb <= pc else corner


def test_a_corrupted_model_is_refused_not_exported(spec, tmp_path):
    programs, _, _ = front_end([str(spec)])
    outcome = run([str(spec)], Options(timeout=5.0))
    result = next(r for r in outcome.results if r.name == "training_is_enough")
    program = programs[0]
    query = next(q for q in program.queries if q.name == result.name)
    assert recheck(program, query, result.model) == []
    # everyone does well everywhere: the claim holds in this model, so it is no counterexample
    table = result.model.tables["does_well"]
    everywhere = Table(rows=tuple((args, True) for args, _ in table.rows))
    corrupted = replace(result.model, tables={**result.model.tables, "does_well": everywhere})
    bad = replace(result, model=corrupted)
    assert recheck(program, query, corrupted) == ["training_is_enough"]
    done = export([bad], programs, tmp_path, use_dot=False)
    assert done.refused and "training_is_enough: the model failed the re-check" in done.refused[0]
    assert not (tmp_path / "training_is_enough.json").exists()
    assert not (tmp_path / "training_is_enough.md").exists()


def test_a_model_breaking_an_axiom_is_refused(spec, tmp_path):
    programs, _, _ = front_end([str(spec)])
    outcome = run([str(spec)], Options(timeout=5.0))
    result = next(r for r in outcome.results if r.name == "training_is_enough")
    table = result.model.tables["does_well"]
    nowhere = Table(rows=tuple((args, False) for args, _ in table.rows))
    corrupted = replace(result.model, tables={**result.model.tables, "does_well": nowhere})
    done = export([replace(result, model=corrupted)], programs, tmp_path, use_dot=False)
    assert "champion_trains_well" in done.refused[0]


def test_export_refusal_fails_the_command(spec, tmp_path, monkeypatch):
    import translator.outputs.export as export_module
    monkeypatch.setattr(export_module, "recheck", lambda *args: ["corrupted"])
    stdout, stderr = io.StringIO(), io.StringIO()
    status = dispatch(["check", str(spec), "--export", str(tmp_path)], stdout, stderr)
    assert status == 1
    assert "not exported: training_is_enough: the model failed the re-check (corrupted)" in stderr.getvalue()


# ---------------------------------------------------------------- SMT-LIB scripts and other solvers

def exported_scripts(paths: list[str], out_dir: Path) -> list[Path]:
    programs, _, _ = front_end(paths)
    outcome = run(paths, Options(timeout=10.0))
    done = export(outcome.results, programs, out_dir, use_dot=False)
    assert not [r for r in done.refused if ".smt2" in r], done.refused
    scripts = sorted(out_dir.glob("*.smt2"))
    assert len(scripts) == len(outcome.results)
    return scripts


@pytest.fixture(scope="module")
def library_scripts(tmp_path_factory):
    """Every query of the spec library as an SMT-LIB script."""
    return exported_scripts(sorted(str(p) for p in (ROOT / "spec").glob("*.align")),
                            tmp_path_factory.mktemp("library"))


HOSTILE_SPEC = """\
sort String
sort Array = {select, store}
const abs: String
pred p': String
pred distinct: String, Array
fun x_prime: String -> String
axiom ite: forall x': String. p'(x') -> p'(x_prime(x'))
axiom String_2: p'(abs)
claim is_int: forall String: String. p'(String) -> p'(x_prime(x_prime(String)))
claim let: forall x: String, String: String. distinct(x, select) -> distinct(String, select)
  expect counterexample
claim within_names: forall y: String, String: String. y = String within 2 expect counterexample
example u_bvadd: exists String: String, y: String. p'(String) and not p'(y)
"""


@pytest.fixture(scope="module")
def generated_scripts(tmp_path_factory):
    """Scripts of hand-written hostile names and of random specs (some renamed to hostile names)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from specgen import renamed, renaming, specs

    out_dir = tmp_path_factory.mktemp("generated")
    texts = [HOSTILE_SPEC]

    @settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
              phases=(Phase.generate,))
    @given(specs(2048))
    def collect(text):
        texts.append(text)
        texts.append(renamed(text, renaming(text, len(texts))))

    collect()
    scripts = []
    for number, text in enumerate(texts):
        path = out_dir / f"g{number}.align"
        path.write_text(text, encoding="utf-8")
        scripts += exported_scripts([str(path)], out_dir / f"g{number}")
    return scripts


def expected_answer(script: Path) -> str:
    second = script.read_text().splitlines()[1]
    return second.split("should answer ")[1].split()[0]


def answers(script: Path) -> dict[str, str]:
    """Each command-line solver's first word on the script; a parse error or warning fails."""
    found = {}
    for solver, command in (("z3", [Z3, "-T:30"]), ("cvc5", [CVC5, "--finite-model-find", "--tlimit=30000"])):
        if command[0] is None:
            continue
        done = subprocess.run([*command, str(script)], capture_output=True, text=True, timeout=90)
        text = done.stdout + done.stderr
        assert "error" not in text.lower() and "warning" not in text.lower(), f"{solver} on {script.name}:\n{text}"
        found[solver] = (done.stdout.split() or ["nothing"])[0]
    return found


def assert_agree(scripts: list[Path]) -> None:
    wrong = []
    for script in scripts:
        expected = expected_answer(script)
        for solver, answer in answers(script).items():
            if expected in ("sat", "unsat") and answer in ("sat", "unsat") and answer != expected:
                wrong.append(f"{script.name}: {solver} says {answer}, the tool {expected}")
    assert not wrong, "\n".join(wrong)


def test_scripts_are_self_contained_smtlib(library_scripts):
    for script in library_scripts:
        text = script.read_text()
        assert "(set-logic ALL)" in text and text.rstrip().endswith("(check-sat)")
        assert expected_answer(script) in ("sat", "unsat", "unknown")


needs_solvers = pytest.mark.skipif(Z3 is None or CVC5 is None,
                                   reason="needs the `z3` and `cvc5` commands on PATH (pip's z3-solver, Debian's cvc5)")


@needs_solvers
def test_both_solvers_read_every_library_script_and_agree_with_the_verdict(library_scripts):
    assert_agree(library_scripts)
    decided = [s for s in library_scripts if expected_answer(s) in ("sat", "unsat")]
    assert len(decided) > 50 and all(answers(s)["z3"] == expected_answer(s) for s in decided[:10])


@needs_solvers
def test_both_solvers_read_every_generated_script_and_agree_with_the_verdict(generated_scripts):
    assert len(generated_scripts) > 30
    assert_agree(generated_scripts)


@needs_solvers
def test_names_that_are_smtlib_words_or_not_simple_symbols_are_respelled(tmp_path):
    path = tmp_path / "hostile.align"
    path.write_text(HOSTILE_SPEC, encoding="utf-8")
    scripts = exported_scripts([str(path)], tmp_path / "out")
    text = next(s for s in scripts if s.name == "is_int.smt2").read_text()
    assert "; original name: String (sort) is String_2" in text and "; original name: p' (pred) is p_prime" in text
    assert "(declare-sort String " not in text and "p'" not in text.split("(set-logic ALL)")[1]
    for script in scripts:
        assert all(a == expected_answer(script) for a in answers(script).values()), script.name


def test_dot_graph_draws_one_box_per_shown_sort(spec):
    outcome = run([str(spec)], Options(timeout=5.0))
    result = next(r for r in outcome.results if r.verdict is Verdict.WITNESS)
    programs, _, _ = front_end([str(spec)])
    text = dot_graph(programs[0], result)
    assert text.count("subgraph cluster_") == 2


def test_smtlib_script_refuses_unexpanded_terms(spec):
    from translator.solvers.z3 import smtlib_script
    programs, _, _ = front_end([str(spec)])
    program = programs[0]
    query = next(q for q in program.queries if q.name == "training_is_enough")
    with pytest.raises(ValueError, match="cannot write the query in SMT-LIB"):
        smtlib_script(program, [query.formula])  # still holds the `robust` definition
