"""`alignproof matrix`: cells per reading, what a differing cell rests on, sentinels, wordings compared."""
from __future__ import annotations

import io
import json

from translator.cli import dispatch

SPEC = """sort Agent
pred good: Agent
pred safe: Agent
def ok(a: Agent) := good(a) and safe(a)
def fine(a: Agent) := good(a)
axiom goods: forall a: Agent. good(a)
claim c1: forall a: Agent. ok(a) -> safe(a)
  expect counterexample in loose
claim nothing: false
  expect counterexample
reading loose:
  def ok(a: Agent) := good(a)
  def fine(a: Agent) := true
end
"""


def matrix(tmp_path, *args: str) -> tuple[int, str]:
    (tmp_path / "m.align").write_text(SPEC, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["matrix", str(tmp_path / "m.align"), "--jobs", "1", *args], out, err)
    return status, out.getvalue()


def test_the_json_matrix(tmp_path):
    status, out = matrix(tmp_path, "--format", "json")
    doc = json.loads(out)
    assert status == 0 and doc["readings"] == ["base", "loose"]
    rows = {r["name"]: r["cells"] for r in doc["rows"]}
    assert rows["c1"]["base"]["verdict"] == "proved" and rows["c1"]["loose"]["verdict"] == "counterexample"
    assert rows["c1"]["loose"]["involves"]["definitions"] == ["ok"]
    assert rows["c1"]["loose"]["world"] in doc["worlds"]
    differences = {d["definition"]: d for d in doc["differences"]}
    assert differences["ok"]["equivalent"] is False and differences["ok"]["world"] in doc["worlds"]
    assert differences["fine"]["equivalent"] is True and differences["fine"]["used"] == ["goods"]
    assert doc["sentinels"][0]["name"] == "nothing" and doc["sentinels"][0]["proved_in"] == []


def test_text_md_and_html(tmp_path):
    status, text = matrix(tmp_path)
    assert status == 0 and "c1 in loose: counterexample (base: proved); rests on replaced ok" in text
    assert "fine: base vs loose: equivalent under the shared axioms (used: goods)" in text
    assert "| claim c1 | proved | counterexample * |" in matrix(tmp_path, "--format", "md")[1]
    assert "<table" in matrix(tmp_path, "--format", "html")[1]
