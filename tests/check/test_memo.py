"""The run cache (`check/memo.py`): a `--cached` run replayed whole, without the front end, while
nothing it read has changed; and never a run that was not wholly confirmed from proof records."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli as cli

from translator import pipeline

SPEC = """\
sort Agent
pred good: Agent
pred safe: Agent
axiom good_is_safe: forall a: Agent. good(a) -> safe(a)
claim good_safe: forall a: Agent. good(a) -> safe(a)
claim safe_good: forall a: Agent. safe(a) -> good(a)
  expect counterexample
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALIGNPROOF_CACHE", str(tmp_path / "cache"))
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "s.align").write_text(SPEC, encoding="utf-8")
    return tmp_path


@pytest.fixture
def no_front_end(monkeypatch):
    """Makes the front end fail: a run that reaches it is not replayed from the run cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the front end ran")
    return lambda: monkeypatch.setattr(pipeline, "read", refuse)


def untimed(text: str) -> str:
    return text.rsplit("(", 1)[0]  # the summary line ends with the run's seconds


def test_a_second_cached_run_needs_no_front_end(project, no_front_end):
    cli("check", "--record", "specs/s.align")
    first = {f: cli("check", "--cached", "--format", f, "specs/s.align") for f in ("json", "junit")}
    status, text, _ = cli("check", "--cached", "specs/s.align")
    no_front_end()
    for form, before in first.items():
        assert cli("check", "--cached", "--format", form, "specs/s.align") == before
    again = cli("check", "--cached", "specs/s.align")
    assert again[0] == status == 0 and untimed(again[1]) == untimed(text) and "(cached)" in text
    assert json.loads(first["json"][1])["drift"] == []


@pytest.mark.parametrize("edit", ["source", "record", "new file", "options", "another E", "portfolio order"])
def test_a_change_to_what_the_run_read_is_not_replayed(project, no_front_end, monkeypatch, edit):
    cli("check", "--record", "specs/s.align")
    cli("check", "--cached", "specs/s.align")
    args = ["check", "--cached", "--format", "json", "specs" if edit == "new file" else "specs/s.align"]
    if edit == "new file":
        cli("check", "--cached", "specs")
        (project / "specs" / "t.align").write_text("sort T\nclaim t: forall x: T. x = x\n", encoding="utf-8")
    elif edit == "source":
        (project / "specs" / "s.align").write_text("# a comment\n" + SPEC, encoding="utf-8")
    elif edit == "record":
        record = project / "proofs" / "specs" / "s.align.json"
        record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif edit == "another E":  # another eprover first on PATH: another prover, maybe other answers
        (project / "bin").mkdir()
        (project / "bin" / "eprover").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
        (project / "bin" / "eprover").chmod(0o755)
        monkeypatch.setenv("PATH", f"{project / 'bin'}:{os.environ.get('PATH', '')}")
    elif edit == "portfolio order":
        monkeypatch.setenv("ALIGNPROOF_PORTFOLIO", "sequential")
    else:
        args.append("--strict-records")
    no_front_end()
    with pytest.raises(AssertionError, match="the front end ran"):
        cli(*args)


def test_a_run_with_a_fresh_answer_is_not_kept(project, no_front_end):
    cli("check", "--cached", "specs/s.align")  # no record: every query solved
    no_front_end()
    with pytest.raises(AssertionError, match="the front end ran"):
        cli("check", "--cached", "specs/s.align")


def test_an_empty_cache_dir_turns_the_run_cache_off(project, monkeypatch, no_front_end):
    monkeypatch.setenv("ALIGNPROOF_CACHE", "")
    cli("check", "--record", "specs/s.align")
    cli("check", "--cached", "specs/s.align")
    no_front_end()
    with pytest.raises(AssertionError, match="the front end ran"):
        cli("check", "--cached", "specs/s.align")
    assert not (project / "cache").exists()


def test_a_replayed_run_imports_neither_lark_nor_z3(project):
    cli("check", "--record", "specs/s.align")
    cli("check", "--cached", "specs/s.align")
    probe = ("import io, sys\nfrom translator.cli import dispatch\n"
             "status = dispatch(['check', '--cached', 'specs/s.align'], io.StringIO(), io.StringIO())\n"
             "print(status, sorted(m for m in ('lark', 'z3', 'translator.frontend.parser', 'translator.check.checker')"
             " if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, timeout=120)
    assert done.stdout.strip() == "0 []", done.stderr


def test_a_new_project_marker_is_a_change(project, no_front_end):
    """A new pyproject.toml moves the project (imports may reach less): the run is checked again."""
    cli("check", "--record", "specs/s.align")
    cli("check", "--cached", "specs/s.align")
    (project / "specs" / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    no_front_end()
    with pytest.raises(AssertionError, match="the front end ran"):
        cli("check", "--cached", "specs/s.align")


FAILING = SPEC + "claim everyone_good: forall a: Agent. good(a)\n"


def kept_reports(project: Path) -> list[Path]:
    return sorted((project / "cache" / "runs").glob("*.report.json"))


def test_a_run_replayed_whole_keeps_its_report_and_the_next_writes_it_without_the_results(project):
    """The third `--cached` run (records confirmed by the second, replayed by the third) writes the
    report the third wrote, byte for byte but for the seconds, with its exit status, importing none
    of the results' records."""
    (project / "specs" / "s.align").write_text(FAILING, encoding="utf-8")
    cli("check", "--record", "specs/s.align")
    cli("check", "--cached", "specs/s.align")
    assert kept_reports(project) == []
    replayed = cli("check", "--cached", "specs/s.align")
    assert len(kept_reports(project)) == 1 and replayed[0] == 1  # one claim fails: exit status 1
    probe = ("import io, json, sys\nfrom translator.cli import dispatch\nout, err = io.StringIO(), io.StringIO()\n"
             "status = dispatch(['check', '--cached', 'specs/s.align'], out, err)\n"
             "print(json.dumps([status, out.getvalue(), err.getvalue(), 'translator.check.results' in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=project, timeout=120)
    status, out, err, imported = json.loads(done.stdout.strip())
    assert (status, untimed(out), err, imported) == (1, untimed(replayed[1]), replayed[2], False), done.stderr
    assert "987654.32" not in out and out.rstrip().endswith("s)")


@pytest.mark.parametrize("form", ["text", "json"])
def test_a_kept_report_is_not_written_once_a_source_changed(project, no_front_end, form):
    args = ("check", "--cached", "--format", form, "specs/s.align")
    cli("check", "--record", "specs/s.align")
    cli(*args)
    cli(*args)
    assert len(kept_reports(project)) == 1
    (project / "specs" / "s.align").write_text("# a comment\n" + SPEC, encoding="utf-8")
    no_front_end()
    with pytest.raises(AssertionError, match="the front end ran"):
        cli(*args)


def test_a_report_is_kept_per_format_and_per_way_of_writing(project):
    from translator.check import memo
    from translator.options import Options
    cli("check", "--record", "specs/s.align")
    for form in ("text", "json", "text"):
        for _ in range(2):
            cli("check", "--cached", "--format", form, "specs/s.align")
    assert len(kept_reports(project)) == 2
    options = Options(cached=True)
    plain = {"format": "text", "quiet": False, "all_symbols": False, "colour": False, "unicode": True}
    keys = {memo.report_key(["specs/s.align"], options, {**plain, **change})
            for change in ({}, {"colour": True}, {"unicode": False}, {"quiet": True})}
    assert len(keys) == 4


def test_a_report_that_shows_the_seconds_otherwise_is_not_kept(project, monkeypatch):
    """Only a report in which the seconds appear as the summary writes them (`{:.2f}`) can be written
    again with other seconds; one that rounds them is not kept."""
    from translator.outputs import text
    real = text.write_text

    def rounding(run, out, err, seconds=None, **options):
        real(run, out, err, seconds, **options)
        out.write(f"took about {round(seconds or 0)} s\n")

    monkeypatch.setattr(text, "write_text", rounding)
    cli("check", "--record", "specs/s.align")
    for _ in range(3):
        cli("check", "--cached", "specs/s.align")
    assert kept_reports(project) == []
