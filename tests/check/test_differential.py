"""Differential fuzzing of the checker: generated specs (tests/specgen.py) under the back ends and
their new paths, judged by brute force (tests/check/test_bruteforce.py's `cross_check`) and by each
other.

- `mutated`: a spec's `within N` turned into per-sort scopes (`within S: 2`, `within 3, S: 1`,
  `within S: 1, T: 3`), some bounded claims made true in every world too small for them (`_past_size`,
  so that `bounded` and the smallest counterexample turn on the scope), `within` added to some claims (up to 5, past the portfolio's small scopes,
  so cvc5's finite model finding answers first), and claims without `within` or `expect` made
  lemmas (LANGUAGE.md §6.1);
- `gave_up`: z3 and cvc5 give up on every unbounded question, so the portfolio's proofs come from E
  and its models from z3's small worlds (solvers/portfolio.py, rules 3 and 5);
- `test_definite_verdicts_agree_across_solvers`: z3, cvc5 and the portfolio never contradict one
  another (proved against counterexample, bounded against counterexample, witness against none).

`python3 tests/check/test_differential.py N` runs N specs of each and prints the figures.
"""
from __future__ import annotations

import random
import re
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from specgen import specs  # noqa: E402
from test_bruteforce import cross_check  # noqa: E402

from translator.options import Options  # noqa: E402
from translator.solvers.common import Outcome  # noqa: E402
from translator.solvers.cvc5 import session as cvc5_session  # noqa: E402
from translator.solvers.z3 import session as z3_session  # noqa: E402

EXAMPLES = 12
"""Specs per test in the default run (derandomized: the same ones every run); `full_sweep`: FULL."""
FULL = 400
TIMEOUT = 2.0
STATS: Counter = Counter()

CONTRADICTIONS = {frozenset(pair) for pair in (("proved", "counterexample"), ("bounded", "counterexample"),
                                               ("witness", "none"))}
"""Two definite verdicts no two solvers may give the same query."""


def mutated(text: str, seed: int) -> str:
    """`text` with per-sort scopes, more `within`s and lemmas (see the module's docstring)."""
    rng = random.Random(seed)
    sorts = re.findall(r"^sort (\w+)\s*$", text, re.M)

    def scope(match: re.Match) -> str:
        if not sorts:
            return match.group(0)
        form, named = rng.randrange(3), rng.choice(sorts)
        if form == 0:
            return f"within {named}: {rng.randint(1, 5)}"
        if form == 1:
            return f"within {match.group(1)}, {named}: {rng.randint(1, 3)}"
        return "within " + ", ".join(f"{s}: {rng.randint(1, 3)}" for s in sorts)

    lines = []
    for line in re.sub(r"within (\d+)", scope, text).split("\n"):
        if line.startswith("claim") and "within" in line and sorts and rng.random() < 0.5:
            line = _past_size(line, rng.choice(sorts), rng.randint(2, 4))
        if line.startswith("claim") and "within" not in line:
            if "expect" not in line and rng.random() < 0.5:
                line = "lemma" + line[len("claim"):]
            elif rng.random() < 0.3:
                line += f" within {rng.randint(1, 5)}"
        lines.append(line)
    return "\n".join(lines)


def _past_size(line: str, sort: str, size: int) -> str:
    """A claim line `claim NAME: F within ...` as `claim NAME: (SORT has SIZE elements) -> (F) within
    ...`: true in every smaller world, so its verdict turns on the scope."""
    head, body, tail = re.fullmatch(r"(claim \w+: )(.*?)((?: expect \w+| within .*)+)", line).groups()
    names = [f"e{i}'" for i in range(size)]
    distinct = " and ".join(f"{a} != {b}" for i, a in enumerate(names) for b in names[i + 1:])
    return f"{head}(exists {', '.join(names)}: {sort}. {distinct}) -> ({body}){tail}"


@contextmanager
def gave_up():
    """z3 and cvc5 answer `unknown` to every unbounded question; bounded ones as usual."""
    def giving_up(original, solver: str):
        def solve(self, tracked, plain=(), bound=None, *args, **kwargs):
            if bound is None:
                STATS[f"{solver} gave up"] += 1
                return Outcome("unknown", reason="made to give up", solver=solver)
            return original(self, tracked, plain, bound, *args, **kwargs)
        return solve
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(z3_session.Session, "solve", giving_up(z3_session.Session.solve, "z3"))
        patch.setattr(cvc5_session.Session, "solve", giving_up(cvc5_session.Session.solve, "cvc5"))
        yield


def judged(text: str, options: Options) -> dict[str, str]:
    """The verdicts of `text` under `options`, after brute force found nothing wrong with them."""
    check = cross_check(text, options=options)
    if check is None:
        STATS["too large to enumerate"] += 1
        return {}
    for result in check.run.results:
        STATS[f"{options.solver}: {result.verdict.value} ({result.solver or 'z3'})"] += 1
    assert not check.problems, f"{options}\n" + "\n".join(check.problems) + "\n--- spec:\n" + text
    return {r.name: r.verdict.value for r in check.run.results}


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _scopes_and_lemmas(text: str) -> None:
    judged(mutated(text, len(text)), Options(timeout=TIMEOUT, solver="portfolio", models=2))


def _gave_up(text: str) -> None:
    with gave_up():
        judged(mutated(text, len(text)), Options(timeout=TIMEOUT, solver="portfolio"))


def _solvers_agree(text: str) -> None:
    verdicts = {solver: judged(text, Options(timeout=TIMEOUT, solver=solver)) for solver in ("z3", "cvc5", "portfolio")}
    names = set().union(*(v.keys() for v in verdicts.values()))
    for name in sorted(names):
        said = {solver: found[name] for solver, found in verdicts.items() if name in found}
        for first in said.values():
            for second in said.values():
                assert frozenset((first, second)) not in CONTRADICTIONS, f"{name}: {said}\n--- spec:\n{text}"


@FUZZ
@given(specs())
def test_scopes_lemmas_and_extra_models_agree_with_brute_force(text):
    _scopes_and_lemmas(text)


@FUZZ
@given(specs())
def test_proofs_from_e_and_models_from_small_worlds_agree_with_brute_force(text):
    _gave_up(text)


@settings(FUZZ, max_examples=EXAMPLES // 2)
@given(specs())
def test_definite_verdicts_agree_across_solvers(text):
    _solvers_agree(text)


@pytest.mark.full_sweep
@settings(FUZZ, max_examples=FULL)
@given(specs())
def test_many_random_specs_agree_with_brute_force_and_across_solvers(text):
    _scopes_and_lemmas(text)
    _gave_up(text)
    _solvers_agree(text)


def test_the_mutations_make_scopes_and_lemmas():
    """What `mutated` writes passes the type checker and has what it is for."""
    text = "sort S\nsort T\npred p: S\nclaim a: forall x: S. p(x) within 2\nclaim b: forall x: S. p(x)\n"
    seen = {mutated(text, seed) for seed in range(40)}
    assert any(re.search(r"within S: \d", t) for t in seen)
    assert any(re.search(r"within \d, [ST]: \d", t) for t in seen)
    assert any(t.count("lemma b:") for t in seen)
    assert all(cross_check(t) is not None for t in sorted(seen)[:5])


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for run_one in (_scopes_and_lemmas, _gave_up, _solvers_agree):
        settings(FUZZ, max_examples=count)(given(specs())(run_one))()
    for key, value in sorted(STATS.items()):
        print(f"{value:6}  {key}")
