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
    seconds, e, _ = explored_timed(program, sort, joins)
    return seconds, e


def explored_timed(program, sort: str, joins: int) -> tuple[float, Exploration, float]:
    """Wall seconds, the exploration, CPU seconds (this process: the solvers run in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    (e,) = explore_programs([program], ExploreOptions(sort=sort, joins=joins))
    return time.perf_counter() - started, e, time.process_time() - cpu


def one_by_one(program, sort: str, joins: int) -> tuple[float, dict]:
    seconds, results, _ = one_by_one_timed(program, sort, joins)
    return seconds, {k: r.verdict for k, r in results.items()}


def one_by_one_timed(program, sort: str, joins: int) -> tuple[float, dict, float]:
    """Every implication of the space as a claim of the file, checked: one query each, in one
    `check_program` run (the front end and the axioms' test done once for all, in process)."""
    started, cpu = time.perf_counter(), time.process_time()
    nodes = choose(program, sort, None, False, False)
    keys = space(len(nodes.nodes), joins)
    claims = [query(nodes, bits(mask), q, i, program.root) for i, (mask, q) in enumerate(keys)]
    outcome = check_program(replace(with_queries(program, claims), queries=tuple(claims)), CheckOptions())
    return time.perf_counter() - started, dict(zip(keys, outcome.results)), time.process_time() - cpu


def used_differs(e: Exploration, results: dict) -> int:
    """Minimal arrows whose `used` is not the one `check` gives the same implication."""
    index = {name: i for i, name in enumerate(e.definitions)}
    out = 0
    for arrow in e.implications:
        result = results.get((sum(1 << index[h] for h in arrow.hypotheses), index[arrow.conclusion]))
        if result is not None and result.verdict is Verdict.PROVED and tuple(result.used or ()) != arrow.used:
            out += 1
    return out


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
    walls: dict[str, list[float]] = {"explore": [], "one by one": []}
    cpus: dict[str, list[float]] = {"explore": [], "one by one": []}
    ratios, cpu_ratios = [], []
    e: Exploration | None = None
    results: dict = {}
    for number in range(rounds):
        order = ("explore", "one by one") if number % 2 == 0 else ("one by one", "explore")
        for which in order:
            if which == "explore":
                wall, e, cpu = explored_timed(program, "Agent", 2)
            else:
                wall, results, cpu = one_by_one_timed(program, "Agent", 2)
            walls[which].append(wall)
            cpus[which].append(cpu)
        ratios.append(walls["one by one"][-1] / walls["explore"][-1])
        cpu_ratios.append(cpus["one by one"][-1] / cpus["explore"][-1])
    assert e is not None
    answers = {k: r.verdict for k, r in results.items()}
    print(table(["", "explore", "one check per implication"], [
        ("implications", e.total, len(answers)),
        ("decided", e.decided, sum(v is not Verdict.UNKNOWN for v in answers.values())),
        ("queries", e.queries, len(answers)),
        ("implications decided per query", f"{e.decided / max(1, e.queries):.1f}", "1.0"),
        (f"wall seconds, median of {rounds}", f"{median(walls['explore']):.2f}", f"{median(walls['one by one']):.2f}"),
        (f"CPU seconds, median of {rounds}", f"{median(cpus['explore']):.2f}", f"{median(cpus['one by one']):.2f}"),
    ]))
    print(f"\nspeed-up, median of the per-round ratios: wall {median(ratios):.1f}x "
          f"(rounds: {', '.join(f'{r:.1f}' for r in ratios)}); CPU {median(cpu_ratios):.1f}x "
          f"(rounds: {', '.join(f'{r:.1f}' for r in cpu_ratios)})")
    print(f"verdicts that differ: {disagreements(e, answers, 2)} of {len(answers)}; minimal arrows whose used "
          f"differs from check's: {used_differs(e, results)} of {len(e.implications)}")


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
