"""The command table: one module per command, each imported only when it runs; a plain check
imports only what it uses (issue 12: start-up)."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from translator.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
HUBINGER = str(ROOT / "spec" / "hubinger.align")


def imported_after(code: str, *modules: str) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `code`."""
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {modules!r} if m in sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_importing_the_command_line_loads_nothing_else():
    loaded = imported_after("import translator.cli", "argparse", "translator.cli.common", "translator.cli.check",
                            "translator.pipeline", "lark", "z3")
    assert loaded == []


HEAVY = ("cvc5", "multiprocessing", "translator.check.crosscheck", "translator.outputs.ci", "translator.outputs.html",
         "translator.outputs.export", "translator.outputs.tptp", "translator.cli.report", "xml.etree.ElementTree",
         "translator.solvers.cvc5.session", "translator.solvers.cvc5.translate", "translator.solvers.cvc5.models",
         "difflib")


@pytest.mark.parametrize("jobs", [["--jobs", "1"], []])
def test_a_plain_text_check_imports_only_what_it_uses(jobs):
    code = ("import io\nfrom translator.cli import dispatch\n"
            f"assert dispatch(['check', {HUBINGER!r}, *{jobs!r}], io.StringIO(), io.StringIO()) == 0")
    assert imported_after(code, *HEAVY) == []


def test_each_format_imports_its_writer_only():
    code = ("import io\nfrom translator.cli import dispatch\n"
            f"dispatch(['check', '--format', 'junit', '--jobs', '1', {HUBINGER!r}], io.StringIO(), io.StringIO())")
    assert imported_after(code, "translator.outputs.ci", "translator.outputs.html") == ["translator.outputs.ci"]


def test_every_command_has_its_module_and_help_line():
    for module, help in COMMANDS.values():
        command = importlib.import_module(f"translator.cli.{module}")
        assert callable(command.configure) and callable(command.run) and help


def test_the_top_help_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "translator", "--help"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0
    for name, (_, help) in COMMANDS.items():
        assert f"{name}" in done.stdout and help in done.stdout


def test_a_usage_error_points_at_the_help_of_the_command_used():
    from conftest import run_cli
    for command in ("check", "report"):
        status, _, err = run_cli(command, "--no-such-option")
        assert status == 2 and f"see alignproof {command} --help" in err, err
    status, _, err = run_cli("--no-such-option")
    assert status == 2 and "see alignproof --help" in err


def test_a_within_bound_that_is_not_positive_has_its_own_code(tmp_path):
    from conftest import run_cli
    spec = tmp_path / "w.align"
    for bound in ("0", "2.5"):
        spec.write_text(f"sort S\nclaim c: forall x: S. x = x within {bound}\n")
        status, _, err = run_cli("check", str(spec))
        assert status == 2 and "[bad-within]" in err, err
