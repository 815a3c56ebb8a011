"""`python3 -m bench`: every benchmark of issue 6, tables on standard output (under 10 minutes).

    python3 -m bench [--quick] [--pairs N] [--sizes 1000,10000,50000] [--timeout 4]

1. the machine; 2. tool vs hand-written z3 on spec/ (whole processes, rotating order),
also without the queries z3 alone gives up on; 3. where the tool's time goes
(in-process stage timers, start-up costs); 4. front-end lines/second at
1k/10k/50k lines; 5. growth families vs raw z3; 6. --jobs 2 vs --jobs 1 on a
generated 200-query library; 7. start-up: small checks against hand-written
z3 on spec/hubinger.align and bench/diagram15.align, `--cached` on spec/
against `import z3`, `import translator.cli` against `import z3, lark`
(bench/startup.py); 7. audit's premise sets on spec/ and a generated 30-axiom
theory, MARCO against one check per subset (bench/premises.py). bench/handwritten_spec.py is regenerated first from
spec/ (python3 -m bench.gen_handwritten).
"""
from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time


def machine() -> str:
    import lark
    import z3
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    keep = [row for row in lscpu if row.split(":")[0].strip() in
            ("Architecture", "CPU(s)", "Model name", "Thread(s) per core", "Core(s) per socket",
             "Hypervisor vendor", "L2 cache", "L3 cache")]
    load = open("/proc/loadavg").read().split()[:3]
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return "\n".join([f"date (UTC): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}",
                      f"nproc: {nproc}", *keep,
                      f"python: {platform.python_version()} ({sys.executable})",
                      f"z3: {z3.get_full_version()}  lark: {lark.__version__}",
                      f"load average at start: {' '.join(load)}  (the machine is shared: compare ratios, not seconds)"])


def section(title: str) -> None:
    print(f"\n## {title}\n", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench")
    ap.add_argument("--quick", action="store_true", help="fewer pairs, sizes and family members (~2 min)")
    ap.add_argument("--pairs", type=int, default=None)
    ap.add_argument("--sizes", default=None)
    ap.add_argument("--timeout", type=float, default=4.0, help="per query, growth families")
    args = ap.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    pairs = args.pairs or (2 if args.quick else 5)
    sizes = tuple(int(s) for s in (args.sizes or ("1000,10000" if args.quick else "1000,10000,50000")).split(","))
    started = time.perf_counter()

    section("Machine")
    print(machine())

    section("1. Tool vs hand-written z3 (spec/, 95 queries)")
    from . import gen_handwritten
    gen_handwritten.main([])
    from .compare import agreement, compare, compare_decided
    print(agreement())
    print(compare(pairs))
    print(compare_decided(pairs))

    section("2. Where the tool's time goes (spec/, one in-process run)")
    subprocess.run([sys.executable, "-m", "bench.profile_tool", "spec/"], check=True)

    section("3. Front end: lines/second (generated specs)")
    from .frontend import run as frontend
    print(frontend(sizes))

    section("4. How the work grows: tool vs raw z3 per claim")
    from .growth import run as growth
    print(growth(args.timeout, args.quick))

    section("5. --jobs: a generated library of 200 queries")
    from .jobs import measure as jobs
    print(jobs(2 if args.quick else 3))

    section("6. Start-up: small checks, --cached, imports")
    from . import startup
    startup.main(["--rounds", "5" if args.quick else "11"])

    section("7. audit's premise sets: MARCO on one solver vs one check per subset")
    from . import premises
    premises.main(["--rounds", "1" if args.quick else "3"])

    print(f"\nall benchmarks: {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
