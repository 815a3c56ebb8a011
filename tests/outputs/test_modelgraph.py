"""The picture of a model (translator/outputs/modelgraph.py): no arrow points at an argument.

A function of two or more arguments, or a predicate of three, is a table beside the elements (a
column per argument, headed by its sort, then the value; a predicate lists the rows where it holds);
a unary function and a binary predicate stay arrows between elements."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from translator.check.results import Verdict
from translator.logic.model import value_to_text
from translator.outputs.modelgraph import dot_graph
from translator.pipeline import Options, front_end, run

ROOT = Path(__file__).resolve().parents[2]

SPEC = """\
sort Agent
sort Dist = {train, deploy}
fun rival: Agent -> Agent
fun judge: Agent, Dist -> Agent
fun payoff: Agent, Dist -> Int
pred prefers: Agent, Agent
pred does_well: Agent, Agent, Dist

claim judged: forall a: Agent. prefers(a, rival(a)) -> judge(a, train) = judge(a, deploy)
  expect counterexample
claim paid: forall a: Agent. does_well(a, rival(a), train) -> payoff(a, train) = payoff(a, deploy)
  expect counterexample
"""


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    path = tmp_path_factory.mktemp("modelgraph") / "small.align"
    path.write_text(SPEC)
    programs, diags, _ = front_end([str(path)])
    assert not diags
    outcome = run([str(path)], Options(timeout=5.0))
    results = {r.name: r for r in outcome.results}
    assert all(r.verdict is Verdict.COUNTEREXAMPLE for r in results.values())
    return {name: (result, dot_graph(programs[0], result)) for name, result in results.items()}


def _edges(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r'^\s*"([^"]+)" -> "([^"]+)" \[label="([^"]*)"\]', text, re.M)


def _table(text: str, name: str) -> tuple[str, list[str], list[list[str]]]:
    """The title, the column heads and the rows of the table drawn for `name`."""
    for label in re.findall(r"label=<(<table.*?</table>)>", text):
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", label)]
        title = re.sub(r"</?b>", "", rows[0][0])
        if title.split()[0] == name:
            return title, [re.sub(r"</?i>", "", c) for c in rows[1]], rows[2:]
    raise AssertionError(f"no table for {name}")


def test_a_two_argument_function_is_a_table_with_every_row(pictures):
    result, text = pictures["judged"]
    assert not any("judge" in label for _, _, label in _edges(text))
    title, head, rows = _table(text, "judge")
    assert (title, head) == ("judge", ["Agent", "Dist", "judge"])
    table = result.model.tables["judge"]
    assert rows == [[value_to_text(a) for a in args] + [value_to_text(v)] for args, v in table.rows]
    assert len(rows) == len(result.model.universes["Agent"]) * 2


def test_a_number_valued_function_of_two_arguments_is_a_table_too(pictures):
    result, text = pictures["paid"]
    _, head, rows = _table(text, "payoff")
    assert head == ["Agent", "Dist", "payoff"]
    assert {tuple(r) for r in rows} == {tuple(map(value_to_text, args)) + (value_to_text(v),)
                                        for args, v in result.model.tables["payoff"].rows}


def test_a_three_argument_predicate_lists_the_rows_where_it_holds(pictures):
    result, text = pictures["paid"]
    title, head, rows = _table(text, "does_well")
    assert title == "does_well holds for" and head == ["Agent", "Agent", "Dist"]
    holds = [[value_to_text(a) for a in args] for args, v in result.model.tables["does_well"].rows if v is True]
    assert rows == holds and holds
    assert not any("does_well" in label for _, _, label in _edges(text))


def test_unary_functions_and_binary_predicates_stay_arrows(pictures):
    result, text = pictures["judged"]
    labels = [(a, b, set(label.split("\\n"))) for a, b, label in _edges(text)]
    rival = {(args[0], v) for args, v in result.model.tables["rival"].rows}
    prefers = {args for args, v in result.model.tables["prefers"].rows if v is True}
    assert rival == {(a, b) for a, b, names in labels if "rival" in names}
    assert prefers == {(a, b) for a, b, names in labels if "prefers" in names}


def test_the_readme_counterexample_reads_does_well_from_a_table():
    path = str(ROOT / "spec" / "hubinger.align")
    programs, _, _ = front_end([path])
    outcome = run([path], Options(timeout=10.0, claims=("deployment_only_reading_breaks_third_arrow",)))
    result = outcome.results[0]
    text = dot_graph(programs[0], result)
    title, head, rows = _table(text, "does_well")
    assert title == "does_well holds for" and head == ["Agent", "Objective", "Dist"]
    # What makes it a counterexample, read off the table: the witness does well by its behavioural
    # objective in deployment, and not for humans in training.
    model, agent = result.model, result.witness["a"]
    behavioral = model.tables["behavioral"].lookup((agent,))
    assert [agent, behavioral, "deploy"] in rows
    assert [agent, model.value("humans"), "train"] not in rows
