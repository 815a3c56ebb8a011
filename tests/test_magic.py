"""`%%align` in a real IPython shell (`%load_ext alignproof`, translator/magic.py)."""
from __future__ import annotations

import pytest

IPython = pytest.importorskip("IPython", reason="IPython is in the test extra")
from IPython.core.error import UsageError  # noqa: E402
from IPython.testing.globalipapp import get_ipython  # noqa: E402

from translator.check.results import Run, Verdict  # noqa: E402

CELL = "sort A\npred p: A\nclaim c: forall a: A. p(a)\n  expect counterexample\n"


@pytest.fixture(scope="module")
def shell():
    ip = get_ipython()
    ip.run_line_magic("load_ext", "alignproof")
    return ip


def test_the_cell_is_checked_and_its_value_is_the_run(shell):
    run = shell.run_cell_magic("align", "", CELL)
    assert isinstance(run, Run) and run.ok
    assert [(r.name, r.verdict, r.file) for r in run.results] == [("c", Verdict.COUNTEREXAMPLE, "<cell>.align")]
    assert "<svg" in run._repr_html_()


def test_the_line_takes_claims_a_name_and_a_variable(shell):
    cell = CELL + "claim d: forall a: A. p(a) or not p(a)\n"
    run = shell.run_cell_magic("align", "--claim d --timeout 5 --name 'my cell.align' --as found", cell)
    assert [(r.name, r.file) for r in run.results] == [("d", "my cell.align")]
    assert shell.user_ns["found"] is run


def test_bad_options_are_usage_errors_and_bad_specs_are_shown(shell):
    for line in ("--nope", "--timeout 0", "--claim 'unclosed"):
        with pytest.raises(UsageError, match="%%align"):
            shell.run_cell_magic("align", line, CELL)
    run = shell.run_cell_magic("align", "", "claim c: forall a: B. true\n")
    assert run.input_error and "nothing was checked" in run._repr_html_()


def test_a_cell_in_the_shell_displays_through_its_formatter(shell):
    result = shell.run_cell("%%align\n" + CELL, store_history=False)
    assert result.success and isinstance(result.result, Run)
    html = shell.display_formatter.formatters["text/html"]
    enabled, html.enabled = html.enabled, True  # a terminal shell shows text only; a notebook enables it
    try:
        data, _meta = shell.display_formatter.format(result.result)
    finally:
        html.enabled = enabled
    assert '<div class="alignproof">' in data["text/html"]
    assert data["text/plain"].endswith("1 checked: 1 ok, 0 failed")


def test_every_option_of_the_magic_is_documented():
    from pathlib import Path

    from translator.magic import _parser
    page = Path(__file__).resolve().parent.parent.joinpath("docs", "api.md").read_text(encoding="utf-8")
    options = {o for action in _parser()._actions for o in action.option_strings}
    assert options and all(f"`{o}" in page for o in options)
