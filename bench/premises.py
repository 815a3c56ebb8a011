"""The cost of `alignproof audit`'s premise sets: MARCO on one solver vs one check per candidate subset.

    python3 -m bench.premises [--rounds 3] [--axioms 30] [--sample 200] [--timeout 4]

For every proved claim of spec/ and of a generated theory with `--axioms`
axioms, the minimal premise sets are found two ways, side by side in
alternating order (round 1: MARCO first, round 2: naive first, ...):

- MARCO: `premises.audit.premise_sets`, what `audit` runs: the map solver, one
  solver holding every premise behind an assumption literal, each core
  re-proved afresh and shown minimal. Its questions are the oracle's
  (subsets asked of the shared solver, and re-proofs).
- naive: every subset of the claim's premises asked on a fresh solver of its
  own (the claim's negation and the subset, no model wanted), the minimal
  sets then read off the unsat ones. This is a lower bound on one `check`
  per subset, which would also test consistency and re-check a model. When
  the subsets are too many to ask (more than `--sample` times 8), a random
  sample of `--sample` subsets is asked and the total is extrapolated from
  the mean seconds per subset (marked "extrapolated").

On spec/ the naive answers are compared with MARCO's (the same minimal sets).

The generated theory: one sort, predicates p0..p10 and q0..q?; a chain of
implications p_i -> p_(i+1), shortcuts p0 -> p5, p5 -> p10, p2 -> p7, and the
rest of the axioms about the q's, which no claim needs. A claim p_a -> p_b
has one minimal premise set per path from a to b (p0 -> p10: five, p2 -> p7:
two, p0 -> p1: one): `known_sets`, against which MARCO's answer is compared
("same sets") where the naive answer is extrapolated.

MARCO's questions and seconds include what `audit` asks besides the sets:
for each axiom in every set, a model of the other premises and the claim's
negation (the claim fails without it).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

from .util import median, table

CHAIN = 10
SHORTCUTS = ((0, 5), (5, 10), (2, 7))


def generated_theory(axioms: int) -> str:
    """A theory of `axioms` axioms (at least 14) whose claims' premise sets are known (module docstring)."""
    lines = ["sort U", *[f"pred p{i}: U" for i in range(CHAIN + 1)]]
    body = [f"axiom chain{i}: forall x: U. p{i}(x) -> p{i + 1}(x)" for i in range(CHAIN)]
    body += [f"axiom short{a}_{b}: forall x: U. p{a}(x) -> p{b}(x)" for a, b in SHORTCUTS]
    others = axioms - len(body)
    if others < 1:
        raise SystemExit(f"--axioms must be at least {len(body) + 1}")
    lines += [f"pred q{j}: U" for j in range(others + 1)]
    body += [f"axiom other{j}: forall x: U. q{j}(x) -> q{j + 1}(x)" for j in range(others)]
    claims = [f"claim {name}: forall x: U. p{a}(x) -> p{b}(x)" for name, (a, b) in CLAIMS.items()]
    return "\n".join(lines + body + claims) + "\n"


CLAIMS = {"far": (0, 10), "middle": (2, 7), "near": (0, 1)}


def known_sets(a: int, b: int) -> set[frozenset[str]]:
    """The axioms of each path from p_a to p_b in the generated theory: its minimal premise sets."""
    steps = [(i, i + 1, f"chain{i}") for i in range(CHAIN)] + [(x, y, f"short{x}_{y}") for x, y in SHORTCUTS]
    paths: set[frozenset[str]] = set()
    stack: list[tuple[int, frozenset[str]]] = [(a, frozenset())]
    while stack:
        at, used = stack.pop()
        if at == b:
            paths.add(used)
            continue
        stack += [(y, used | {name}) for x, y, name in steps if x == at and y <= b]
    return paths


def proved_claims(paths: list[str], timeout: float):
    """(label, program, result) for every proved claim of the paths, and the check's seconds."""
    from translator.check.results import Verdict
    from translator.options import Options
    from translator.pipeline import run
    started = time.perf_counter()
    outcome = run(paths, Options(timeout=timeout, jobs=1), programs_needed=True)
    seconds = time.perf_counter() - started
    found = []
    for program in outcome.programs:
        for result in outcome.results:
            if result.file == program.root and result.kind == "claim" and result.verdict is Verdict.PROVED:
                found.append((f"{Path(program.root).name}::{result.name}", program, result))
    return found, seconds


def marco(program, result, timeout: float, max_cores: int):
    """MARCO as audit runs it: (cores as name sets, complete, questions, seconds)."""
    from translator.check.checker import CheckOptions
    from translator.premises.audit import premise_sets
    started = time.perf_counter()
    claim = premise_sets(program, result, CheckOptions(timeout=timeout), max_cores)
    return {frozenset(c) for c in claim.cores}, claim.complete, claim.questions, time.perf_counter() - started


def naive(program, result, timeout: float, sample: int, rng: random.Random):
    """Every subset on a fresh solver: (minimal sets or None if sampled, subsets, asked, seconds)."""
    from translator.check.checker import CheckOptions, question
    from translator.logic.core import QueryKind
    from translator.solvers.z3 import Session
    query = next(q for q in program.queries if q.name == result.name and q.kind is QueryKind.CLAIM)
    asked = question(program, query)
    items = range(len(asked.premises))
    total = 2 ** len(asked.premises)
    subsets: list[tuple[int, ...]]
    if total <= sample * 8:
        subsets = [s for k in range(len(asked.premises) + 1) for s in combinations(items, k)]
    else:
        subsets = [tuple(i for i in items if rng.random() < 0.5) for _ in range(sample)]
    solver = CheckOptions(timeout=timeout).solver()
    unsat = []
    started = time.perf_counter()
    for subset in subsets:
        tracked = [(asked.premises[i][0], asked.premises[i][1]) for i in subset]
        outcome = Session(program, asked.witnesses).solve(tracked, (asked.goal,), None, solver, want_model=False)
        if outcome.status == "unsat":
            unsat.append(frozenset(asked.premises[i][0] for i in subset))
    seconds = time.perf_counter() - started
    if len(subsets) < total:
        return None, total, len(subsets), seconds / len(subsets) * total
    minimal = {s for s in unsat if not any(t < s for t in unsat)}
    return minimal, total, total, seconds


def measure(claims, rounds: int, timeout: float, max_cores: int, sample: int, known=None):
    """Per claim: medians over alternating rounds, and whether the two agree."""
    rows, totals = [], {"marco_q": 0, "marco_s": 0.0, "naive_q": 0, "naive_s": 0.0, "extrapolated": False}
    rng = random.Random(0)
    for label, program, result in claims:
        times_m, times_n = [], []
        for round_ in range(rounds):
            order = ("marco", "naive") if round_ % 2 == 0 else ("naive", "marco")
            for which in order:
                if which == "marco":
                    cores, complete, questions, seconds = marco(program, result, timeout, max_cores)
                    times_m.append(seconds)
                else:
                    minimal, total, asked, seconds = naive(program, result, timeout, sample, rng)
                    times_n.append(seconds)
        expected = minimal if minimal is not None else (known or {}).get(result.name)
        agree = "—" if expected is None else ("yes" if expected == cores and complete else "**no**")
        agree += " (by construction)" if minimal is None and expected is not None else ""
        extrapolated = asked < total
        totals["marco_q"] += questions
        totals["marco_s"] += median(times_m)
        totals["naive_q"] += total
        totals["naive_s"] += median(times_n)
        totals["extrapolated"] |= extrapolated
        rows.append((label, len(cores), "yes" if complete else "no", questions, f"{median(times_m):.3f}",
                     total, _seconds(median(times_n), extrapolated),
                     f"{median(times_n) / median(times_m):.1f}x", agree))
    return rows, totals


def _seconds(seconds: float, extrapolated: bool) -> str:
    if not extrapolated:
        return f"{seconds:.3f}"
    return f"{seconds:.3g} (~{seconds / 86400:.0f} days, extrapolated)"


HEADER = ("claim", "premise sets", "complete", "MARCO questions", "MARCO s", "naive subsets", "naive s",
          "naive / MARCO", "same sets")


def report(title: str, claims, check_seconds: float, args, known=None) -> None:
    rows, t = measure(claims, args.rounds, args.timeout, args.max_cores, args.sample, known)
    print(f"\n### {title}\n")
    print(table(HEADER, rows))
    mark = " (extrapolated)" if t["extrapolated"] else ""
    print(f"\ntotal: MARCO {t['marco_q']} questions, {t['marco_s']:.2f} s; naive {t['naive_q']} subsets, "
          f"{t['naive_s']:.3g} s{mark}; the check itself {check_seconds:.2f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.premises", description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--axioms", type=int, default=30)
    ap.add_argument("--sample", type=int, default=200, help="subsets asked when there are too many to ask all")
    ap.add_argument("--timeout", type=float, default=4.0)
    ap.add_argument("--max-cores", type=int, default=8)
    ap.add_argument("--spec", default="spec")
    args = ap.parse_args(argv)
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"date (UTC): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}; load average at start: {load}; "
          f"{args.rounds} alternating rounds, medians")
    claims, seconds = proved_claims([args.spec], args.timeout)
    report(f"{args.spec}/: {len(claims)} proved claims", claims, seconds, args)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"theory{args.axioms}.align")
        Path(path).write_text(generated_theory(args.axioms), encoding="utf-8")
        claims, seconds = proved_claims([path], args.timeout)
        report(f"generated theory, {args.axioms} axioms", claims, seconds, args,
               {name: known_sets(a, b) for name, (a, b) in CLAIMS.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
