"""Nothing in the front end recurses on the depth of its input (issue 12, item 3, for the front end).

The deepest expression of each kind that the parser accepts (`MAX_DEPTH`
levels) is read, parsed and type-checked in a plain thread: the default
thread stack and Python's recursion limit as it is, unchanged by the front
end. One level more is refused as too deep.
"""
from __future__ import annotations

import sys
import threading

import pytest

from translator.frontend.loader import load
from translator.frontend.parser import MAX_DEPTH
from translator.frontend.typecheck import check_program

PREAMBLE = ("sort S\nconst c: S\npred p: S\nfun h: S -> S\nfun f: S -> Int\nfun g: S -> Real\n"
            "sort T\nfun f2: T -> Real\nbridge b: T -> S\n")


def deepest(depth: int) -> dict[str, str]:
    """One formula per kind of nesting, each `depth` levels deep (a level: an operator, a quantifier,
    an `if`, an application, a `via`; a chain of one associative operator is one level)."""
    n = depth
    return {
        "negations": "not " * (n - 1) + "p(c)",
        "quantifiers": "forall x: S. " * (n - 1) + "p(x)",
        "if_then_else": "(" + "if p(c) then " * (n - 2) + "c" + " else c" * (n - 2) + ") = c",
        "applications": "h(" * (n - 1) + "c" + ")" * (n - 1) + " = c",
        "unary_minus": "f(c) = " + "-" * (n - 2) + "f(c)",
        "implications": "p(c) -> " * (n - 1) + "p(c)",
        "nested_and": "p(c) and (" * (n - 1) + "p(c)" + ")" * (n - 1),
        "products": "g(c) = " + "2 * (" * (n - 2) + "g(c)" + ")" * (n - 2),
        "comparisons_in_ifs": "if f(c) <= 1 then " * (n - 2) + "true" + " else false" * (n - 2),
        "bridged": "agree(g, f2 via b) and " + "not " * (n - 2) + "agree(g, g)",
    }


def front_end(tmp_path, claims: dict[str, str]) -> tuple[list, list]:
    path = tmp_path / "deep.align"
    path.write_text(PREAMBLE + "".join(f"claim {name}: {formula}\n" for name, formula in claims.items()),
                    encoding="utf-8")
    loaded = load([str(path)])
    if loaded.diagnostics:
        return [], loaded.diagnostics
    programs, diags = [], []
    for root in loaded.roots:
        program, found = check_program(root.modules)
        programs.append(program)
        diags += found
    return programs, diags


def in_a_plain_thread(work):
    """`work()` in a new thread with the default stack size; its result, or the exception it raised."""
    assert threading.stack_size() == 0  # the platform's default: no one enlarged it in this process
    out: dict = {}

    def run():
        try:
            out["value"] = work()
        except BaseException as error:  # noqa: B036 - handed to the test thread
            out["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_the_deepest_accepted_input_is_checked_with_the_default_stack_and_recursion_limit(tmp_path, monkeypatch):
    limit = sys.getrecursionlimit()
    raised: list[int] = []
    monkeypatch.setattr(sys, "setrecursionlimit", raised.append)  # the front end may not ask for more
    programs, diags = in_a_plain_thread(lambda: front_end(tmp_path, deepest(MAX_DEPTH)))
    assert diags == [] and len(programs) == 1 and programs[0] is not None
    assert [q.name for q in programs[0].queries] == list(deepest(MAX_DEPTH))
    assert raised == [] and sys.getrecursionlimit() == limit


@pytest.mark.parametrize("kind", list(deepest(MAX_DEPTH)))
def test_one_level_more_is_too_deep(tmp_path, kind):
    _, diags = in_a_plain_thread(lambda: front_end(tmp_path, {kind: deepest(MAX_DEPTH + 1)[kind]}))
    assert [d.code for d in diags] == ["too-deep"]


def test_wide_input_is_checked_in_a_plain_thread_too(tmp_path):
    claims = {"conjunction": " and ".join(["p(c)"] * 5_000), "sum": " + ".join(["f(c)"] * 5_000) + " >= 0",
              "literals": "f(c) = " + " + ".join(["1"] * 5_000)}
    programs, diags = in_a_plain_thread(lambda: front_end(tmp_path, claims))
    assert diags == [] and programs[0] is not None
    conjunction = programs[0].queries[0].formula
    assert len(conjunction.args) == 5_000
