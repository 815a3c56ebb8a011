"""Tool vs hand-written z3, as whole processes: alternating runs, median of per-pair ratios.

    python3 -m bench.compare [--pairs N]

Runs `python3 -m translator check spec/` and `python3 bench/handwritten_spec.py`
alternately (tool first in even pairs, baseline first in odd ones), N pairs,
and reports wall-clock and CPU (user+sys) seconds of each process and the
median of the per-pair ratios tool / hand-written. Target: <= 1.3x.
"""
from __future__ import annotations

import argparse
import sys

from .util import median, run_process, table

TOOL = [sys.executable, "-m", "translator", "check", "spec/"]
HAND = [sys.executable, "bench/handwritten_spec.py"]


def compare(pairs: int = 5) -> str:
    tool_w, tool_c, hand_w, hand_c, ratio_w, ratio_c = [], [], [], [], [], []
    for i in range(pairs):
        order = [("tool", TOOL), ("hand", HAND)] if i % 2 == 0 else [("hand", HAND), ("tool", TOOL)]
        got = {}
        for name, cmd in order:
            wall, cpu, status = run_process(cmd)
            if name == "tool" and status != 0:
                raise SystemExit(f"tool exited with {status}")
            got[name] = (wall, cpu)
        tool_w.append(got["tool"][0]); tool_c.append(got["tool"][1])
        hand_w.append(got["hand"][0]); hand_c.append(got["hand"][1])
        ratio_w.append(got["tool"][0] / got["hand"][0]); ratio_c.append(got["tool"][1] / got["hand"][1])
    rows = [("alignproof check spec/", f"{median(tool_w):.2f}", f"{min(tool_w):.2f}-{max(tool_w):.2f}",
             f"{median(tool_c):.2f}"),
            ("bench/handwritten_spec.py", f"{median(hand_w):.2f}", f"{min(hand_w):.2f}-{max(hand_w):.2f}",
             f"{median(hand_c):.2f}"),
            ("median per-pair ratio tool/hand", f"{median(ratio_w):.2f}x",
             f"{min(ratio_w):.2f}-{max(ratio_w):.2f}x", f"{median(ratio_c):.2f}x")]
    return (f"{pairs} alternating pairs, whole processes (95 queries of spec/)\n"
            + table(["", "median wall s", "range", "median CPU s (user+sys)"], rows)
            + f"\ntarget <= 1.3x: {'met' if median(ratio_w) <= 1.3 else 'NOT met'}")


def agreement() -> str:
    """Whether the baseline answers like the tool: same verdict for every query, same `used` for proofs."""
    import json
    import re
    import subprocess
    tool = json.loads(subprocess.run(TOOL + ["--format", "json"], capture_output=True, text=True).stdout)
    hand = {}
    for line in subprocess.run(HAND, capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"  (\w+): (\w+)(.*)", line)
        if m:
            hand[m.group(1)] = (m.group(2), m.group(3).strip())
    same = [r["name"] for r in tool["results"] if hand.get(r["name"], ("?",))[0] == r["verdict"]]
    used_same = [r["name"] for r in tool["results"] if r["verdict"] == "proved"
                 and hand.get(r["name"], ("", ""))[1] == str(r.get("used") or [])]
    proved = sum(r["verdict"] == "proved" for r in tool["results"])
    return (f"verdicts equal: {len(same)}/{len(tool['results'])}; proofs whose raw unsat core equals the tool's "
            f"minimised `used`: {len(used_same)}/{proved}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args(argv)
    print(agreement())
    print(compare(args.pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
