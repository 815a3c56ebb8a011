"""Tool vs hand-written z3, as whole processes: alternating runs, median of per-pair ratios.

    python3 -m bench.compare [--pairs N]

Runs `python3 -m translator check spec/` (default --jobs, then --jobs 1) and
`python3 bench/handwritten_spec.py` in N rounds, each command once per round in
an order rotated from round to round, and reports wall-clock and CPU
(user+sys, children included) seconds of each process and the median of the
per-round ratios tool / hand-written. Target: <= 1.3x.
"""
from __future__ import annotations

import argparse
import sys

from .util import median, run_process, table

TOOL = [sys.executable, "-m", "translator", "check", "spec/"]
TOOL_1 = TOOL + ["--jobs", "1"]
HAND = [sys.executable, "bench/handwritten_spec.py"]
RUNS = [("alignproof check spec/ (default --jobs: one per processor)", TOOL),
        ("alignproof check spec/ --jobs 1", TOOL_1),
        ("bench/handwritten_spec.py", HAND)]


def compare(pairs: int = 5) -> str:
    """`pairs` rounds; in each, every command once, in an order rotated from round to round."""
    wall = {name: [] for name, _ in RUNS}
    cpu = {name: [] for name, _ in RUNS}
    for i in range(pairs):
        order = RUNS[i % len(RUNS):] + RUNS[:i % len(RUNS)]
        for name, cmd in order:
            seconds, used, status = run_process(cmd)
            if cmd is not HAND and status != 0:
                raise SystemExit(f"{' '.join(cmd)} exited with {status}")
            wall[name].append(seconds)
            cpu[name].append(used)
    hand = RUNS[-1][0]
    rows = []
    for name, _ in RUNS:
        rows.append((name, f"{median(wall[name]):.2f}", f"{min(wall[name]):.2f}-{max(wall[name]):.2f}",
                     f"{median(cpu[name]):.2f}"))
    verdicts = []
    for name, _ in RUNS[:-1]:
        ratio_w = [t / h for t, h in zip(wall[name], wall[hand])]
        ratio_c = [t / h for t, h in zip(cpu[name], cpu[hand])]
        rows.append((f"ratio {name.split(' (')[0].replace('alignproof check spec/', 'tool')}/hand "
                     f"(median of per-round ratios)", f"{median(ratio_w):.2f}x",
                     f"{min(ratio_w):.2f}-{max(ratio_w):.2f}x", f"{median(ratio_c):.2f}x"))
        verdicts.append(median(ratio_w))
    return (f"{pairs} rounds, each command once per round in rotating order, whole processes "
            f"(95 queries of spec/)\n"
            + table(["", "median wall s", "range", "median CPU s (user+sys)"], rows)
            + f"\ntarget <= 1.3x (wall): {'met' if max(verdicts) <= 1.3 else 'NOT met'} "
              f"(default --jobs {median(wall[RUNS[0][0]]) / median(wall[hand]):.2f}x, "
              f"--jobs 1 {verdicts[1]:.2f}x)")


def compare_decided(pairs: int = 3) -> str:
    """The same, without the queries z3 alone gives up on (the hand-written script names them):
    what the tool's own services cost where both answer at once."""
    import subprocess
    import tempfile

    from translator.pipeline import front_end

    gave_up = sorted({line.split(":", 1)[1].strip() for line in
                      subprocess.run(HAND, capture_output=True, text=True).stderr.splitlines()
                      if line.startswith("raw z3 gave up:")})
    programs, _, _ = front_end(["spec/"])
    names = [q.name for p in programs for q in p.queries if q.name not in gave_up]
    with tempfile.TemporaryDirectory() as folder:
        script = f"{folder}/handwritten_decided.py"
        subprocess.run([sys.executable, "-m", "bench.gen_handwritten", "spec/", "-o", script,
                        *[a for n in gave_up for a in ("--skip", n)]], check=True, capture_output=True)
        claims = [a for n in names for a in ("--claim", n)]
        runs = [("tool --jobs 1", TOOL_1 + claims), ("hand-written", [sys.executable, script])]
        wall = {name: [] for name, _ in runs}
        cpu = {name: [] for name, _ in runs}
        for i in range(pairs):
            for name, cmd in (runs if i % 2 == 0 else runs[::-1]):
                seconds, used, status = run_process(cmd)
                if name != "hand-written" and status != 0:
                    raise SystemExit(f"tool exited with {status}")
                wall[name].append(seconds)
                cpu[name].append(used)
    ratio = [t / h for t, h in zip(wall["tool --jobs 1"], wall["hand-written"])]
    rows = [(name, f"{median(wall[name]):.2f}", f"{min(wall[name]):.2f}-{max(wall[name]):.2f}",
             f"{median(cpu[name]):.2f}") for name, _ in runs]
    rows.append(("ratio tool/hand (median of per-round ratios)", f"{median(ratio):.2f}x",
                 f"{min(ratio):.2f}-{max(ratio):.2f}x", ""))
    return (f"without the {len(gave_up)} queries z3 alone gives up on ({', '.join(gave_up) or 'none'}): "
            f"{len(names)} queries, {pairs} alternating pairs\n"
            + table(["", "median wall s", "range", "median CPU s (user+sys)"], rows))


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
    print(compare_decided(args.pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
