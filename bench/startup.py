"""Start-up (issue 12, item 5): small checks against hand-written z3, `--cached`, and imports.

    python3 -m bench.startup [--rounds N]

Every figure compares whole processes run side by side: in each round every
command of a table runs once, in an order rotated from round to round, and
the ratio is the median of the per-round ratios. Each table is measured as a
user's machine runs it (bytecode cached) and again without bytecode (every
module compiled from source: `PYTHONDONTWRITEBYTECODE=1` with an empty
`PYTHONPYCACHEPREFIX`), for the tool and its baseline alike.

1. `alignproof check FILE` (default options: `--jobs` one per processor)
   and `--jobs 1` against a hand-written z3.py script of the same queries
   (`bench.gen_handwritten`), on spec/hubinger.align and on
   bench/diagram15.align (15 queries). Target <= 1.3x.
2. `alignproof check spec/ --cached` (records confirmed once, then the run
   cache) against `python -c "import z3"`. Target <= 1.2x. Beside it, the
   first `--cached` run on a machine (empty run cache: every record confirmed).
3. `import translator.cli` against `import z3, lark` (target <= 1.5x), and
   the modules a plain text check imports.

Each command's wall clock and CPU time (user + system of the child and its
children) are both given; on a shared machine the CPU seconds drift less.
`--base DIR` (a checkout of another commit, e.g. `git worktree add DIR main`)
adds that commit's `check` beside this one's in table 1, both started the
same way (`python -P -c "from translator.cli import main; main()"` with
`PYTHONPATH` set to the checkout), so the ratio is the two commits' alone.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path

from .util import median, run_process, table

PY = sys.executable
TOOL = str(Path(PY).parent / "alignproof") if (Path(PY).parent / "alignproof").exists() else None
FILES = ("spec/hubinger.align", "bench/diagram15.align")
CHECK_IMPORTS = ("import translator.cli.common, translator.cli.check, translator.pipeline, translator.check.stack, "
                 "translator.check.records, translator.check.parallel, translator.frontend.loader, "
                 "translator.frontend.typecheck, translator.outputs.text")


def tool(*args: str) -> list[str]:
    """The `alignproof` command as installed (its console script), else `python -m translator`."""
    return [TOOL, *args] if TOOL else [PY, "-m", "translator", *args]


def environment(bytecode: bool, cache_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALIGNPROOF_JOBS", "PYTHONDONTWRITEBYTECODE")}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="no-bytecode-")  # empty: nothing to read
    if cache_dir is not None:
        env["ALIGNPROOF_CACHE"] = cache_dir
    return env


LAUNCH = [PY, "-P", "-c", "import sys\nfrom translator.cli import main\nsys.exit(main())"]
"""`alignproof` from the checkout `PYTHONPATH` names, not the installed one (see the docstring)."""


def rounds(commands: Sequence[tuple[str, list[str]]], count: int, bytecode: bool,
           fresh_cache: Collection[str] = frozenset(), cache_dir: str | None = None,
           paths: dict[str, str] | None = None) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of each command, `count` rounds, rotating the order; the commands named in
    `fresh_cache` get an empty run cache each time, those in `paths` that `PYTHONPATH`."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in commands}
    for i in range(count):
        order = list(commands[i % len(commands):]) + list(commands[:i % len(commands)])
        for name, cmd in order:
            folder = tempfile.mkdtemp(prefix="alignproof-cache-") if name in fresh_cache else cache_dir
            env = environment(bytecode, folder)
            if paths and name in paths:
                env["PYTHONPATH"] = paths[name]
            seconds, cpu, status = run_process(cmd, env=env)
            if status not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)} exited with {status}")
            times[name].append((seconds, cpu))
            if name in fresh_cache and folder:
                shutil.rmtree(folder, ignore_errors=True)
    return times


def ratio(times: dict[str, list[tuple[float, float]]], top: str, bottom: str, cpu: bool = False
          ) -> tuple[float, float, float]:
    k = 1 if cpu else 0
    values = [a[k] / b[k] for a, b in zip(times[top], times[bottom])]
    return median(values), min(values), max(values)


def rows(times: dict[str, list[tuple[float, float]]], baseline: str, label: str) -> list[tuple]:
    out = []
    for name, pairs in times.items():
        wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
        out.append((f"{name} [{label}]", f"{median(wall):.3f}", f"{min(wall):.3f}-{max(wall):.3f}",
                    f"{median(cpu):.3f}", ""))
    for name in times:
        if name != baseline:
            mid, low, high = ratio(times, name, baseline)
            cmid, clow, chigh = ratio(times, name, baseline, cpu=True)
            out.append((f"  ratio {name} / {baseline} [{label}]", f"{mid:.2f}x", f"{low:.2f}-{high:.2f}x",
                        f"{cmid:.2f}x", f"{clow:.2f}-{chigh:.2f}x"))
    return out


def measure(commands: Sequence[tuple[str, list[str]]], baseline: str, count: int, target: float,
            **kwargs) -> tuple[str, dict[str, float]]:
    out, verdicts = [], {}
    for bytecode, label in ((True, "bytecode cached"), (False, "no bytecode")):
        times = rounds(commands, count, bytecode, **kwargs)
        out += rows(times, baseline, label)
        if bytecode:
            verdicts = {name: ratio(times, name, baseline)[0] for name in times if name != baseline}
    text = table(["", "median wall s", "range", "median CPU s", "CPU range"], out)
    met = ", ".join(f"{name}: {value:.2f}x {'met' if value <= target else 'NOT met'}"
                    for name, value in verdicts.items())
    return text + f"\ntarget <= {target}x (wall, bytecode cached): {met}", verdicts


def small_checks(count: int, base: str | None = None) -> str:
    parts = []
    with tempfile.TemporaryDirectory() as folder:
        for path in FILES:
            script = os.path.join(folder, Path(path).stem + "_hand.py")
            subprocess.run([PY, "-m", "bench.gen_handwritten", path, "-o", script], check=True, capture_output=True)
            commands = [("alignproof check (default)", tool("check", path)),
                        ("alignproof check --jobs 1", tool("check", path, "--jobs", "1"))]
            paths = {}
            if base is not None:
                here = str(Path(__file__).resolve().parent.parent)
                commands += [("this commit, check", [*LAUNCH, "check", path]),
                             ("base, check", [*LAUNCH, "check", path])]
                paths = {"this commit, check": here, "base, check": base}
            commands.append(("hand-written z3.py", [PY, script]))
            text, _ = measure(commands, "hand-written z3.py", count, 1.3, paths=paths)
            parts.append(f"### {path}\n\n{text}")
    return "\n\n".join(parts)


def cached(count: int) -> str:
    with tempfile.TemporaryDirectory() as cache_dir:
        warm = tool("check", "spec/", "--cached")
        subprocess.run(warm, env=environment(True, cache_dir), capture_output=True)  # records confirmed, run kept
        commands = [("alignproof check spec/ --cached", warm),
                    ("first --cached run (records confirmed)", tool("check", "spec/", "--cached", "--jobs", "1")),
                    ("alignproof check spec/", tool("check", "spec/")),
                    ("python -c 'import z3'", [PY, "-c", "import z3"])]
        text, _ = measure(commands, "python -c 'import z3'", count, 1.2,
                          fresh_cache={"first --cached run (records confirmed)"}, cache_dir=cache_dir)
    return text


def imports(count: int) -> str:
    commands = [("import translator.cli", [PY, "-c", "import translator.cli"]),
                ("what a plain text check imports", [PY, "-c", CHECK_IMPORTS]),
                ("import z3, lark", [PY, "-c", "import z3, lark"]),
                ("python -c pass", [PY, "-c", "pass"])]
    text, _ = measure(commands, "import z3, lark", count, 1.5)
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.startup")
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--base", help="a checkout of the commit to compare with (table 1)")
    ap.add_argument("--only", choices=("small", "cached", "imports"), help="one table only")
    args = ap.parse_args(argv)
    print(f"{args.rounds} rounds per table, whole processes, rotating order; the tool is "
          f"{' '.join(tool())}\n")
    if args.only in (None, "small"):
        print("## 1. Small checks against hand-written z3\n")
        print(small_checks(args.rounds, args.base), flush=True)
    if args.only in (None, "cached"):
        print("\n## 2. --cached on spec/\n")
        print(cached(args.rounds), flush=True)
    if args.only in (None, "imports"):
        print("\n## 3. Imports\n")
        print(imports(args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
