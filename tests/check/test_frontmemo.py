"""The front end's cache (check/frontmemo.py): a hit is the front end's own result, a change is a miss."""
from __future__ import annotations

import subprocess
import sys

from translator import pipeline
from translator.check import frontmemo

SPEC = "sort S\npred p: S\naxiom a: forall x: S. p(x)\nclaim c: forall x: S. p(x)\n"


def _cached(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNPROOF_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "t.align"
    path.write_text(SPEC)
    return str(path)


def test_a_clean_front_end_is_read_back_equal(tmp_path, monkeypatch):
    path = _cached(tmp_path, monkeypatch)
    first = pipeline.read([path])
    assert frontmemo.replay([path], False, ()) == first
    assert pipeline.read([path]) == first


def test_a_changed_source_or_a_broken_entry_is_a_miss(tmp_path, monkeypatch):
    path = _cached(tmp_path, monkeypatch)
    pipeline.read([path])
    (tmp_path / "t.align").write_text(SPEC + "claim d: forall x: S. not p(x)\n")
    assert frontmemo.replay([path], False, ()) is None
    assert [q.name for q in pipeline.read([path]).programs[0].queries] == ["c", "d"]
    for entry in (tmp_path / "cache" / "programs").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert frontmemo.replay([path], False, ()) is None
    assert [q.name for q in pipeline.read([path]).programs[0].queries] == ["c", "d"]


def test_errors_are_not_kept(tmp_path, monkeypatch):
    path = _cached(tmp_path, monkeypatch)
    (tmp_path / "t.align").write_text(SPEC + "claim broken: forall\n")
    assert pipeline.read([path]).diagnostics
    assert frontmemo.replay([path], False, ()) is None


def test_a_hit_imports_no_parser(tmp_path, monkeypatch):
    path = _cached(tmp_path, monkeypatch)
    pipeline.read([path])
    code = (f"import sys; from translator import pipeline; pipeline.read([{path!r}]); "
            "print(sorted(m for m in sys.modules if m.startswith(('lark', 'translator.frontend.parser'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    path = _cached(tmp_path, monkeypatch)
    (tmp_path / "cache").write_text("a file where the folder would be")
    assert pipeline.read([path]).programs
    assert frontmemo.replay([path], False, ()) is None
