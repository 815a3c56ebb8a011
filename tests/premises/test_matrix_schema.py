"""`matrix --format json` against docs/schema/matrix.schema.json, and docs/json.md's matrix section: the
documents of spec/ and of the golden validate, a corrupted one does not, every field is named on the page."""
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
from mdblocks import code_spans, schema_fields, schema_validator  # noqa: E402

SCHEMA, VALIDATOR = schema_validator("matrix")
PAGE = (DOCS / "json.md").read_text(encoding="utf-8")
GOLDEN = ROOT / "tests" / "golden" / "readings_matrix.matrix.json"


def errors(doc: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted(p.name for p in (ROOT / "spec").glob("*.align")))
def test_every_spec_document_validates(path):
    done = subprocess.run([sys.executable, "-m", "translator", "matrix", "--format", "json", f"spec/{path}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    doc = json.loads(done.stdout)
    assert done.returncode == 0 and errors(doc) == []
    assert all(c.get("world") in doc["worlds"] for r in doc["rows"] for c in r["cells"].values() if "world" in c)


def test_the_golden_document_validates_and_a_corrupted_one_does_not():
    doc = json.loads(GOLDEN.read_text(encoding="utf-8"))["document"]
    assert errors(doc) == []
    doc["differences"][0]["readings"] = ["base"]
    assert errors(doc) != []


def test_json_md_names_every_field_of_the_schema():
    section = PAGE[PAGE.index("\n## The JSON document of `matrix`"):]
    spans = set(code_spans(section))
    spans |= {quoted for span in spans for quoted in re.findall(r'"(\w+)"', span)}
    assert sorted(f for f in schema_fields(SCHEMA) if f not in spans) == []
