"""`python3 -m bench.suggest`: `alignproof suggest` against `alignproof check` on each refuted claim of spec/.

Issue 15, item 6: with the default limits, `suggest` on one claim should
answer within 10 times the time of `check` on that claim. For every claim
of spec/ whose verdict is a counterexample as written (tests/spec_verdicts.json,
under the base reading: `suggest` takes a claim as written), both
commands run as whole processes on that claim, side by side, the order
alternating from claim to claim (and from pair to pair), and the CPU time
of each child (user + system) is compared: on a shared machine the CPU time
moves less than the wall clock. Prints a table per claim and the
distribution of the ratios.

    python3 -m bench.suggest [--pairs N] [--against CHECKOUT] [--claim NAME]

With `--against`, `suggest` of another checkout of the project (its
directory, e.g. a `git worktree` of an earlier commit) runs too, in the
same rotation, and its CPU seconds are shown beside this one's. With
`--claim` (repeatable), only those claims.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .util import median, run_process, table

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 10.0


def refuted() -> list[tuple[str, str]]:
    verdicts = json.loads((ROOT / "tests" / "spec_verdicts.json").read_text())
    return [tuple(key.split("::")) for key, verdict in sorted(verdicts.items())
            if verdict == "counterexample" and not key.endswith("]")]


def measure(path: str, claim: str, pairs: int, offset: int,
            against: Path | None = None) -> dict[str, tuple[float, float]]:
    """Median CPU and wall seconds of check and of suggest (and of `against`'s suggest) on one
    claim, over `pairs` rounds, the order rotating from round to round and claim to claim."""
    suggest = [sys.executable, "-m", "translator", "suggest", path, "--claim", claim]
    commands = {"check": ([sys.executable, "-m", "translator", "check", path, "--claim", claim, "--jobs", "1"], ROOT),
                "suggest": (suggest, ROOT)}
    if against is not None:
        commands["against"] = (suggest, against)
    names = list(commands)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for pair in range(pairs):
        shift = (pair + offset) % len(names)
        for name in names[shift:] + names[:shift]:
            command, cwd = commands[name]
            wall, cpu, _ = run_process(command, cwd=cwd)
            times[name].append((cpu, wall))
    return {name: (median([c for c, _ in got]), median([w for _, w in got])) for name, got in times.items()}


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.suggest")
    parser.add_argument("--pairs", type=int, default=1, help="alternating check/suggest pairs per claim (default 1)")
    parser.add_argument("--against", type=Path, help="also time the suggest of this checkout of the project")
    parser.add_argument("--claim", action="append", default=[], help="only this refuted claim (repeatable)")
    args = parser.parse_args(argv)
    claims = [(p, c) for p, c in refuted() if not args.claim or c in args.claim]
    unknown = sorted(set(args.claim) - {c for _, c in claims})
    if unknown:
        parser.error(f"not a claim refuted as written in spec/: {', '.join(unknown)}")
    rows, ratios = [], []
    for index, (path, claim) in enumerate(claims):
        got = measure(path, claim, args.pairs, index, args.against)
        (check_cpu, check_wall), (suggest_cpu, suggest_wall) = got["check"], got["suggest"]
        ratio = suggest_cpu / check_cpu
        ratios.append(ratio)
        row = [f"{Path(path).stem}::{claim}", f"{check_cpu:.2f}", f"{suggest_cpu:.2f}", f"{ratio:.1f}",
               f"{check_wall:.2f}", f"{suggest_wall:.2f}"]
        if "against" in got:
            row += [f"{got['against'][0]:.2f}", f"{got['against'][0] / check_cpu:.1f}"]
        rows.append(tuple(row))
        print(f"  {row[0]}: check {check_cpu:.2f} s, suggest {suggest_cpu:.2f} s CPU", file=sys.stderr, flush=True)
    header: tuple[str, ...] = ("claim", "check CPU s", "suggest CPU s", "ratio", "check wall s", "suggest wall s")
    if args.against is not None:
        header += ("against: suggest CPU s", "against: ratio")
    print(table(header, rows))
    within = sum(1 for r in ratios if r <= LIMIT)
    print()
    print(table(("claims", "min", "median", "p90", "max", f"within {LIMIT:.0f}x"),
                [(len(ratios), f"{min(ratios):.1f}", f"{median(ratios):.1f}", f"{quantile(ratios, 0.9):.1f}",
                  f"{max(ratios):.1f}", f"{within} of {len(ratios)}")]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
