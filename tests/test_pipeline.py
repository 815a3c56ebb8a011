"""The pipeline (translator/pipeline.py): one broken file keeps out only the programs that read it."""
from __future__ import annotations

import json

from conftest import run_cli


def _tree(tmp_path):
    (tmp_path / "broken.align").write_text("sort S\nclaim c: forall x: S. x = \n", encoding="utf-8")
    (tmp_path / "good.align").write_text("sort S\nclaim c: forall x: S, y: S. x = y\n", encoding="utf-8")
    (tmp_path / "fine.align").write_text("sort S\nclaim d: forall x: S. x = x\n", encoding="utf-8")
    return tmp_path


def test_the_files_without_an_error_are_checked(tmp_path):
    status, out, err = run_cli("check", str(_tree(tmp_path)))
    assert status == 2
    assert "good.align" in out and "claim c: counterexample" in out and "claim d: proved" in out
    assert "nothing was checked" not in err
    assert f"not checked: {tmp_path / 'broken.align'}" in err


def test_the_json_document_says_which_were_not_checked(tmp_path):
    """LANGUAGE.md §5: with exit status 2 `results` is empty; the other files' results are in `checked`."""
    status, out, _ = run_cli("check", str(_tree(tmp_path)), "--format", "json")
    doc = json.loads(out)
    assert status == 2
    assert doc["results"] == [] and doc["summary"] == {"total": 0, "ok": 0, "failed": 0}
    assert sorted(r["name"] for r in doc["checked"]) == ["c", "d"]
    assert doc["unchecked"] == [str(tmp_path / "broken.align")]
    assert doc["errors"]


def test_a_file_that_imports_a_broken_one_is_not_checked(tmp_path):
    _tree(tmp_path)
    (tmp_path / "user.align").write_text('import "broken.align"\nclaim e: forall x: S. x = x\n', encoding="utf-8")
    status, out, _ = run_cli("check", str(tmp_path), "--format", "json")
    doc = json.loads(out)
    assert status == 2
    assert "e" not in {r["name"] for r in doc["checked"]} and doc["results"] == []
    assert str(tmp_path / "user.align") in doc["unchecked"]
