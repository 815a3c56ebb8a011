"""The parser tables cached between runs (translator/frontend/parser.py `_cache_file`): used when valid,
rebuilt when not, never needed (an unwritable or disabled cache only costs the build)."""
from __future__ import annotations

import os

import pytest

from translator.frontend import parser
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile

TEXT = "sort S\npred p: S\nclaim c: forall x: S. p(x) -> p(x)\nclaim bad: forall x: S. p(x) ->\n"


def _parse():
    parser._lark.cache_clear()
    try:
        return parse_source(SourceFile("t.align", TEXT))
    finally:
        parser._lark.cache_clear()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNPROOF_CACHE", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    parser._lark.cache_clear()


def test_the_tables_are_written_then_read_with_the_same_results(cache_dir):
    first = _parse()
    (written,) = list(cache_dir.iterdir())
    stamp = written.stat().st_mtime_ns
    again = _parse()
    assert written.stat().st_mtime_ns == stamp  # read, not rebuilt
    assert again == first
    module, diags = first
    assert len(module.decls) == 3 and len(diags) == 1  # the syntax error is still reported


def test_a_damaged_cache_is_rebuilt(cache_dir):
    reference = _parse()
    (written,) = list(cache_dir.iterdir())
    written.write_bytes(b"not a cache\n")
    assert _parse() == reference
    assert written.read_bytes() != b"not a cache\n"


def test_no_cache_when_disabled_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNPROOF_CACHE", "")
    reference = _parse()
    assert parser._cache_file() is False
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("ALIGNPROOF_CACHE", str(blocked / "cache"))
    assert parser._cache_file() is False
    assert _parse() == reference
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setenv("ALIGNPROOF_CACHE", str(locked))
        assert parser._cache_file() is False
