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

    python3 -m bench.suggest [--pairs N]
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


def measure(path: str, claim: str, pairs: int, offset: int) -> tuple[float, float, float, float]:
    """Median CPU and wall seconds of check and of suggest on one claim, over `pairs` alternating pairs."""
    commands = {"check": [sys.executable, "-m", "translator", "check", path, "--claim", claim, "--jobs", "1"],
                "suggest": [sys.executable, "-m", "translator", "suggest", path, "--claim", claim]}
    times: dict[str, list[tuple[float, float]]] = {"check": [], "suggest": []}
    for pair in range(pairs):
        order = ["check", "suggest"] if (pair + offset) % 2 == 0 else ["suggest", "check"]
        for name in order:
            wall, cpu, _ = run_process(commands[name], cwd=ROOT)
            times[name].append((cpu, wall))
    return (median([c for c, _ in times["check"]]), median([w for _, w in times["check"]]),
            median([c for c, _ in times["suggest"]]), median([w for _, w in times["suggest"]]))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.suggest")
    parser.add_argument("--pairs", type=int, default=1, help="alternating check/suggest pairs per claim (default 1)")
    args = parser.parse_args(argv)
    rows, ratios = [], []
    for index, (path, claim) in enumerate(refuted()):
        check_cpu, check_wall, suggest_cpu, suggest_wall = measure(path, claim, args.pairs, index)
        ratio = suggest_cpu / check_cpu
        ratios.append(ratio)
        rows.append((f"{Path(path).stem}::{claim}", f"{check_cpu:.2f}", f"{suggest_cpu:.2f}", f"{ratio:.1f}",
                     f"{check_wall:.2f}", f"{suggest_wall:.2f}"))
        print(f"  {rows[-1][0]}: check {check_cpu:.2f} s, suggest {suggest_cpu:.2f} s CPU", file=sys.stderr, flush=True)
    print(table(("claim", "check CPU s", "suggest CPU s", "ratio", "check wall s", "suggest wall s"), rows))
    within = sum(1 for r in ratios if r <= LIMIT)
    print()
    print(table(("claims", "min", "median", "p90", "max", f"within {LIMIT:.0f}x"),
                [(len(ratios), f"{min(ratios):.1f}", f"{median(ratios):.1f}", f"{quantile(ratios, 0.9):.1f}",
                  f"{max(ratios):.1f}", f"{within} of {len(ratios)}")]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
