"""`python3 -m bench.explore`: `alignproof explore` against one `check` query per implication (issue 13).

1. spec/hubinger.align, `--joins 2` (224 implications over `Agent`):
   `explore` in process, and the same implications each stated as a claim
   and checked by `check_program` (one query per implication, the checker's
   own verdict logic), alternating within each round; the median of the
   per-round ratios, the queries each needed, and whether the verdicts agree.
2. Growth: generated definition sets (`tests/defsets.py`, seed 0) with 5,
   10, 20 and 40 definitions, `--joins 2`: implications, queries, decided,
   unknown, seconds; one query per implication measured where it fits in
   `--budget` seconds (else not run: it is never estimated).

    python3 -m bench.explore [--rounds 3] [--sizes 5,10,20,40] [--budget 120]
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from translator.check.checker import CheckOptions, check_program
from translator.check.results import Verdict
from translator.pipeline import front_end
from translator.premises.exploration import Exploration
from translator.premises.explore import ExploreOptions, explore_programs
from translator.premises.lattice import bits, space
from translator.premises.nodes import choose, query, with_queries

from .util import median, table

ROOT = Path(__file__).resolve().parents[1]


def program_of(path: Path):
    programs, diags, _ = front_end([str(path)])
    if diags:
        raise SystemExit(f"{path}: {diags[0].message}")
    return programs[0]


def explored(program, sort: str, joins: int) -> tuple[float, Exploration]:
    started = time.perf_counter()
    (e,) = explore_programs([program], ExploreOptions(sort=sort, joins=joins))
    return time.perf_counter() - started, e


def one_by_one(program, sort: str, joins: int) -> tuple[float, dict]:
    """Every implication of the space as a claim of the file, checked: one query each."""
    started = time.perf_counter()
    nodes = choose(program, sort, None, False, False)
    keys = space(len(nodes.nodes), joins)
    claims = [query(nodes, bits(mask), q, i, program.root) for i, (mask, q) in enumerate(keys)]
    outcome = check_program(replace(with_queries(program, claims), queries=tuple(claims)), CheckOptions())
    return time.perf_counter() - started, dict(zip(keys, (r.verdict for r in outcome.results)))


def verdicts(e: Exploration, joins: int) -> dict:
    """The exploration's verdict on each implication of the space, keyed as `one_by_one` keys them."""
    index = {name: i for i, name in enumerate(e.definitions)}
    refuted = {(sum(1 << index[h] for h in r.hypotheses), index[r.conclusion]) for r in e.refuted}
    unknown = {(sum(1 << index[h] for h in u.hypotheses), index[u.conclusion]) for u in e.unknown}
    return {k: Verdict.COUNTEREXAMPLE if k in refuted else Verdict.UNKNOWN if k in unknown else Verdict.PROVED
            for k in space(len(e.definitions), joins)}


def disagreements(e: Exploration, theirs: dict, joins: int) -> int:
    mine = verdicts(e, joins)
    return sum(1 for k, v in theirs.items() if v is not Verdict.UNKNOWN and mine[k] is not v)


def side_by_side(rounds: int) -> None:
    program = program_of(ROOT / "spec" / "hubinger.align")
    ratios, mine, theirs = [], [], []
    e: Exploration | None = None
    answers: dict = {}
    for number in range(rounds):
        first, second = ("explore", "one by one") if number % 2 == 0 else ("one by one", "explore")
        for which in (first, second):
            if which == "explore":
                seconds, e = explored(program, "Agent", 2)
                mine.append(seconds)
            else:
                seconds, answers = one_by_one(program, "Agent", 2)
                theirs.append(seconds)
        ratios.append(theirs[-1] / mine[-1])
    assert e is not None
    print(table(["", "explore", "one check per implication"], [
        ("implications", e.total, len(answers)),
        ("decided", e.decided, sum(v is not Verdict.UNKNOWN for v in answers.values())),
        ("queries", e.queries, len(answers)),
        ("implications decided per query", f"{e.decided / max(1, e.queries):.1f}", "1.0"),
        (f"seconds, median of {rounds}", f"{median(mine):.2f}", f"{median(theirs):.2f}"),
    ]))
    print(f"\nspeed-up, median of the per-round ratios: {median(ratios):.1f}x "
          f"(rounds: {', '.join(f'{r:.1f}' for r in ratios)}); verdicts that differ: "
          f"{disagreements(e, answers, 2)} of {len(answers)}")


def growth(sizes: list[int], budget: float) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from defsets import definition_set  # type: ignore[import-not-found]
    rows = []
    tmp = Path(ROOT / "bench" / ".explore-growth.align")
    try:
        for n in sizes:
            tmp.write_text(definition_set(n, 0), encoding="utf-8")
            program = program_of(tmp)
            seconds, e = explored(program, "S", 2)
            per_query = seconds / max(1, e.queries)
            if per_query * e.total <= budget:
                alone, answers = one_by_one(program, "S", 2)
                baseline, differ = f"{alone:.1f}", str(disagreements(e, answers, 2))
            else:
                baseline, differ = "not run", "-"
            rows.append((n, e.total, e.decided, len(e.unknown), e.queries, f"{e.decided / max(1, e.queries):.1f}",
                         len(e.implications), f"{seconds:.1f}", baseline, differ))
            print(f"  {n} definitions done ({seconds:.1f} s)", file=sys.stderr, flush=True)
    finally:
        tmp.unlink(missing_ok=True)
    print(table(["definitions", "implications", "decided", "unknown", "queries", "decided per query",
                 "minimal arrows", "explore s", "one by one s", "verdicts that differ"], rows))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.explore")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="5,10,20,40")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="run the one-query-per-implication baseline of a growth row only if it should take "
                         "at most this many seconds (judged from explore's seconds per query)")
    args = ap.parse_args(argv)
    print("## explore: spec/hubinger.align, --joins 2, alternating\n", flush=True)
    side_by_side(args.rounds)
    print("\n## explore: growth with the number of definitions (tests/defsets.py, seed 0, --joins 2)\n", flush=True)
    growth([int(s) for s in args.sizes.split(",")], args.budget)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
