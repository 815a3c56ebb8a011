"""`explore --format json` against docs/schema/explore.schema.json, and docs/json.md's explore section
(issue 13): the real command's documents validate, a corrupted one does not, and the page's example and
field names are the schema's."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tests"))
from mdblocks import blocks, code_spans, schema_fields, schema_validator  # noqa: E402

SCHEMA, VALIDATOR = schema_validator("explore")
PAGE = (DOCS / "json.md").read_text(encoding="utf-8")


def document(*argv: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "translator", "explore", "--format", "json", *argv],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    doc = json.loads(done.stdout)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    assert errors == []
    return done.returncode, doc


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_real_documents_validate_and_add_up():
    status, doc = document("spec/hubinger.align", "--preds")
    assert status == 0 and doc["summary"]["ok"] and not doc["errors"]
    (e,) = doc["explorations"]
    assert doc["summary"]["implications_decided"] == e["implications_decided"] == e["implications_total"]
    assert all(r["world"] in e["worlds"] for r in e["refuted"])
    assert any(a["if"] == ["objective_robust", "mesa_optimizer"] and a["then"] == "inner_aligned"
               and a["status"] == "holds but not stated" for a in e["implications"])


def test_a_usage_error_is_explores_document():
    status, doc = document("spec/hubinger.align", "--sort", "Nope")
    assert status == 2 and doc["explorations"] == [] and doc["errors"][0]["code"] == "usage"
    assert doc["summary"]["ok"] is False


def test_a_corrupted_document_fails():
    _, doc = document("spec/readings.align", "--joins", "1")
    doc["explorations"][0]["implications"].append({"if": ["x"], "then": "y"})
    assert not VALIDATOR.is_valid(doc)


def _section() -> str:
    return PAGE[PAGE.index("\n## alignproof explore"):]


@pytest.mark.parametrize("block", [b for b in blocks(PAGE) if b.section == "alignproof explore" and b.lang == "json"])
def test_the_example_of_json_md_validates(block):
    VALIDATOR.validate(json.loads(block.code))


def test_json_md_names_every_field_of_the_schema():
    spans = set(code_spans(_section()))
    spans |= {quoted for span in spans for quoted in re.findall(r'"(\w+)"', span)}
    fields = schema_fields(SCHEMA)
    assert sorted(f for f in fields if f not in spans) == []
