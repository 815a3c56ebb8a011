"""TPTP problems (translator/outputs/tptp.py, `check --export DIR` writes `NAME.p`).

Three kinds of evidence that an exported problem asks the tool's question:
the exact text of a small problem; FOF problems read back by the project's own
TPTP reader (tests/tptp_reader.py) and checked again, which must give the same
verdict; and the E prover (Debian package `eprover`) on every query of the
spec library, which must never contradict a verdict: no `CounterSatisfiable`
for a proved claim, no `Theorem` for a refuted one. E has no arithmetic, so it
may give up on problems that need it; every proved claim without arithmetic
must be confirmed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import pytest
import tptp_reader as tptp

from translator.check.checker import CheckOptions, check_program
from translator.check.results import Verdict
from translator.logic import core
from translator.logic.names import tptp_word as spell
from translator.outputs.export import export
from translator.outputs.tptp import Untranslatable, expected_status, numeral, tptp_problem
from translator.pipeline import Options, front_end, run

ROOT = Path(__file__).resolve().parents[2]
PINNED: dict[str, str] = json.loads((ROOT / "tests" / "spec_verdicts.json").read_text(encoding="utf-8"))
EPROVER = shutil.which("eprover")
needs_eprover = pytest.mark.skipif(EPROVER is None, reason="the E prover is not on PATH (apt-get install eprover)")

ONE_SORT = """\
sort Agent
pred good: Agent
fun Boss: Agent -> Agent
axiom bosses_are_good: forall a: Agent. good(Boss(a))
claim boss_of_boss: forall a: Agent. good(Boss(Boss(a)))
"""

EXPECTED_ONE_SORT = """\
% alignproof claim boss_of_boss (one.align:5)
% the axioms and the claim as the conjecture, in FOF (a single sort)
% status: proved (alignproof's verdict; used: bosses_are_good)
% expected SZS status: Theorem
% original name: Agent (sort) is agent
% original name: Boss (fun) is boss
fof(bosses_are_good, axiom,
    ![A]: good(boss(A))).
fof(boss_of_boss, conjecture,
    ![A]: good(boss(boss(A)))).
"""

# Several sorts, a finite sort, a Bool argument and a Bool variable, if-then-else terms,
# a `within` bound, names that are not TPTP words, and a clash (sort Agent, pred agent).
SMALL = """\
sort Agent
sort Dist = {train, deploy}
const champion: Agent
pred does_well: Agent, Dist
pred agent: Agent
fun rival: Agent -> Agent
fun pick: Bool, Agent -> Agent

def robust(a: Agent) := forall d: Dist. does_well(a, d)

axiom champion_trains_well: does_well(champion, train)
axiom Pick_true: forall a: Agent. pick(true, a) = a

claim training_is_enough: forall a: Agent. does_well(a, train) -> robust(a)
  expect counterexample
claim champion_trains: does_well(champion, train)
claim picked_when_true: forall a: Agent, b: Bool. b -> pick(b, a) = a
claim picked_by_formula: agent(champion) -> pick(agent(champion), champion) = champion
claim picked_by_formula_always: pick(agent(champion), champion) = champion
  expect counterexample
claim lifted: forall a': Agent. agent(a') -> does_well(if agent(a') then champion else a', train)
claim lifted_always: forall a: Agent. does_well(if agent(a) then champion else a, train)
  expect counterexample
claim one_agent: forall a, b: Agent. a = b within 1
claim two_places: train != deploy and forall d: Dist. d = train or d = deploy
claim two_values: forall b: Bool, a: Agent. pick(b, a) = pick(true, a) or pick(b, a) = pick(false, a)
example robust_rival: exists a: Agent. robust(rival(a)) and not robust(a)
example contradiction: exists a: Agent. agent(a) and not agent(a)
  expect none
"""

ARITH = """\
sort S
fun f: S -> Real
fun rank: S -> Int
const s0: S
axiom f_bounded: forall s: S. f(s) <= 2.5 * f(s0) - 0.3
axiom rank_floor: forall s: S. rank(s) >= -2 and f(if rank(s) > 0 then s else s0) > 0.125
claim f_bounded_again: forall s: S. f(s) <= 2.5 * f(s0) - 0.3
claim rank_is_zero: rank(s0) = 0
  expect counterexample
"""

# E 2.6 gives each arithmetic predicate one type, so it reads problems that compare only
# reals (or only integers); this is ARITH without its integers.
REAL_ONLY = ARITH.replace("fun rank: S -> Int", "fun rank: S -> Real").replace("-2", "-2.0")

STATEMENT = re.compile(r"^(fof|tff)\(([a-z][A-Za-z0-9_]*), ([a-z_]+),\n    (.*)\)\.$", re.S)


def checked(tmp_path: Path, name: str, text: str):
    """The program of a spec text and its results, by query name."""
    path = tmp_path / name
    path.write_text(text)
    programs, diagnostics, _ = front_end([str(path)])
    assert not diagnostics and len(programs) == 1
    results = {r.name: r for r in run([str(path)], Options(timeout=10.0)).results}
    return programs[0], results


def statements(text: str) -> list[tuple[str, str, str, str]]:
    """(dialect, name, role, formula) of each statement; comments must only be whole lines."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("%"))
    chunks = [c for c in re.split(r"(?<=\)\.)\n", body.strip()) if c]
    found = []
    for chunk in chunks:
        match = STATEMENT.match(chunk)
        assert match, chunk
        found.append(match.groups())
    return found


def well_formed(text: str) -> None:
    """Structure a TPTP parser relies on: statements, unique names, balanced brackets, one
    dialect, and in TFF every symbol declared before it is used."""
    found = statements(text)
    names = [name for _, name, _, _ in found]
    assert len(names) == len(set(names))
    assert len({dialect for dialect, _, _, _ in found}) == 1
    declared: set[str] = set()
    for dialect, _, role, formula in found:
        depth = 0
        for char in formula:
            depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
            assert depth >= 0, formula
        assert depth == 0, formula
        assert role in ("type", "axiom", "conjecture", "hypothesis")
        if role == "type":
            declared.add(formula.split(":")[0])
        elif dialect == "tff":
            used = set(re.findall(r"(?<![A-Za-z0-9_$])[a-z][A-Za-z0-9_]*", formula))
            assert used <= declared, (formula, used - declared)
    assert sum(role == "conjecture" for _, _, role, _ in found) <= 1


# ---------------------------------------------------------------- the text

def test_a_single_sort_problem_is_plain_fof(tmp_path):
    program, results = checked(tmp_path, "one.align", ONE_SORT)
    query = program.queries[0]
    text = tptp_problem(program, query, results[query.name])
    assert text.replace(str(tmp_path) + "/", "") == EXPECTED_ONE_SORT


def test_names_are_respelled_deterministically():
    assert spell("Agent") == "agent" and spell("x'") == "x_prime" and spell("_tmp") == "x_tmp"
    assert spell("a", variable=True) == "A" and spell("_b", variable=True) == "V_b"
    assert spell("Σ") == "x_u03a3"


def test_several_sorts_are_typed_and_clashes_renamed(tmp_path):
    program, results = checked(tmp_path, "small.align", SMALL)
    query = next(q for q in program.queries if q.name == "lifted")
    text = tptp_problem(program, query, results[query.name])
    well_formed(text)
    assert "in TFF (typed first-order)" in text
    assert "tff(agent_type, type,\n    agent: agent_2 > $o)." in text  # the predicate keeps its name
    assert "% original name: Agent (sort) is agent_2" in text
    assert "% original name: Pick_true (axiom) is pick_true" in text
    assert "% original name: a' " not in text  # variables need no note: they are local
    assert "![A_prime: agent_2]" in text
    assert "dist_closed" in text and "~ (train = deploy)" in text
    assert ("tff(lifted, conjecture,\n    ![A_prime: agent_2]: (agent(A_prime) => "
            "((agent(A_prime) => does_well(champion, train)) & "
            "(~ agent(A_prime) => does_well(A_prime, train)))))." in text)  # if-then-else lifted
    other = next(q for q in program.queries if q.name == "one_agent")
    assert "agent_2: $tType" in tptp_problem(program, other)  # the same spelling in every problem


def test_bool_arguments_use_a_sort_of_two_values(tmp_path):
    program, results = checked(tmp_path, "small.align", SMALL)
    query = next(q for q in program.queries if q.name == "picked_when_true")
    text = tptp_problem(program, query, results[query.name])
    assert "pick: (bool * agent_2) > agent_2" in text
    assert "![A: agent_2, B: bool]: ((B = true) => (pick(B, A) = A))" in text
    assert "bool_distinct" in text and "bool_closed" in text


def test_header_says_verdict_used_axioms_and_expected_status(tmp_path):
    program, results = checked(tmp_path, "small.align", SMALL)
    by_name = {q.name: q for q in program.queries}
    for name, status in (("champion_trains", "Theorem"), ("training_is_enough", "CounterSatisfiable"),
                         ("robust_rival", "Satisfiable"), ("contradiction", "Unsatisfiable"),
                         ("one_agent", "Theorem")):
        text = tptp_problem(program, by_name[name], results[name])
        assert f"% expected SZS status: {status}\n" in text, name
        assert expected_status(by_name[name], results[name]) == status
    text = tptp_problem(program, by_name["champion_trains"], results["champion_trains"])
    assert "% status: proved (alignproof's verdict; used: champion_trains_well)" in text
    assert results["one_agent"].verdict is Verdict.BOUNDED
    bounded = tptp_problem(program, by_name["one_agent"], results["one_agent"])
    assert "agent_2_within" in bounded and "at most 1 element (the claim says `within 1`)" in bounded
    example = tptp_problem(program, by_name["robust_rival"], results["robust_rival"])
    roles = [role for _, _, role, _ in statements(example)]
    assert "hypothesis" in roles and "conjecture" not in roles
    assert "tff(robust_rival, hypothesis,\n    ?[A: agent_2]: ((![D: dist]: does_well(rival(A), D)) & " in example


def test_arithmetic_is_tff_with_numbers(tmp_path):
    program, results = checked(tmp_path, "arith.align", ARITH)
    text = tptp_problem(program, program.queries[0], results["f_bounded_again"])
    well_formed(text)
    assert "in TFF (typed first-order, with arithmetic)" in text
    assert "f: s > $real" in text and "rank: s > $int" in text
    assert "$sum($product(2.5, f(s0)), $uminus(0.3))" in text
    assert "$greatereq(rank(S), -2)" in text and "0.125" in text
    with pytest.raises(Untranslatable, match="arithmetic in TPTP FOF"):
        tptp_problem(program, program.queries[0], dialect="fof")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> list[tuple[Path, str]]:
    """Every query of spec/ exported (no checker run: the header then carries no verdict),
    each `.p` file with the verdict pinned for it in tests/spec_verdicts.json (which
    test_spec_library.py holds equal to the checker's)."""
    out_dir = tmp_path_factory.mktemp("tptp")
    programs, diagnostics, _ = front_end(sorted(str(p) for p in (ROOT / "spec").glob("*.align")))
    assert not diagnostics
    problems = []
    for program in programs:
        for query in program.queries:
            path = out_dir / f"{Path(query.file).stem}__{query.name}.p"
            path.write_text(tptp_problem(program, query))
            problems.append((path, PINNED[f"spec/{Path(query.file).name}::{query.name}"]))
    assert len(problems) == sum(1 for key in PINNED if not key.endswith("]"))  # readings are not exported
    return problems


def test_every_query_of_the_spec_library_exports(library):
    for path, _ in library:
        well_formed(path.read_text())


def test_the_library_in_fof_reads_back(tmp_path):
    paths = sorted(str(p) for p in (ROOT / "spec").glob("*.align"))
    programs, _, _ = front_end(paths)
    count = 0
    for program in programs:
        for query in program.queries:
            try:
                fof = tptp_problem(program, query, dialect="fof")
            except Untranslatable:
                continue
            back = tptp.program_from_text(fof, query.name)  # the project's own FOF reader
            assert len(back.axioms) >= len(program.axioms) and len(back.queries) == 1
            assert back.queries[0].kind is query.kind
            count += 1
    assert count >= 40  # the library's queries without arithmetic


def test_export_writes_a_problem_per_query(tmp_path):
    program, results = checked(tmp_path, "small.align", SMALL)
    done = export(list(results.values()), [program], tmp_path / "out", use_dot=False)
    assert not done.refused
    for query in program.queries:
        text = (tmp_path / "out" / f"{query.name}.p").read_text()
        result = results[query.name]
        assert f"% status: {result.verdict.value} (alignproof's verdict" in text
        assert f"% expected SZS status: {expected_status(query, result)}\n" in text


def test_numbers_are_tptp_numerals():
    assert numeral(Fraction(-3), core.INT) == "-3" and numeral(Fraction(7, 2), core.REAL) == "3.5"
    assert numeral(Fraction(2), core.REAL) == "2.0" and numeral(Fraction(-1, 40), core.REAL) == "-0.025"
    assert numeral(Fraction(1, 3), core.REAL) == "$quotient(1.0, 3.0)"
    with pytest.raises(Untranslatable, match="not an integer"):
        numeral(Fraction(1, 2), core.INT)


# ---------------------------------------------------------------- read back and checked again

# The reader makes a problem without conjecture an example `true` over the axioms and
# the hypothesis; when they contradict each other, its verdict is `unknown` for that reason.
SAME = {Verdict.PROVED: Verdict.PROVED, Verdict.BOUNDED: Verdict.PROVED,
        Verdict.COUNTEREXAMPLE: Verdict.COUNTEREXAMPLE,
        Verdict.WITNESS: Verdict.WITNESS, Verdict.NONE: Verdict.UNKNOWN}


@pytest.mark.parametrize("name, text, dialect", [("one.align", ONE_SORT, "auto"),
                                                 ("small.align", SMALL, "fof")],
                         ids=["single-sort", "guarded"])
def test_fof_read_back_gets_the_same_verdict(tmp_path, name, text, dialect):
    """The FOF problem, read by tptp.py and checked again: the TPTP conjecture (or the
    satisfiability of the hypothesis) has the verdict the tool gave the query."""
    program, results = checked(tmp_path, name, text)
    for query in program.queries:
        result = results[query.name]
        fof = tptp_problem(program, query, result, dialect=dialect)
        assert fof.count("\nfof(") + fof.startswith("fof(") == len(statements(fof))
        back = tptp.program_from_text(fof, query.name)
        again = check_program(back, CheckOptions(timeout=10.0)).results[0]
        assert again.verdict is SAME[result.verdict], (query.name, again.reason)
        if result.verdict is Verdict.NONE:
            assert again.reason.startswith("the axioms are inconsistent"), query.name


# ---------------------------------------------------------------- the E prover

E_CLAUSES = 2000
"""E processes at most this many clauses per problem: a deterministic limit (every proof of the
library needs far fewer), with ample CPU time as a backstop."""


def eprover(path: Path) -> str:
    """E's SZS status for a problem; `TypeError` when E rejects the types of a problem."""
    done = subprocess.run([EPROVER, "--auto", "-s", f"--processed-clauses-limit={E_CLAUSES}",
                           "--cpu-limit=60", str(path)], capture_output=True, text=True, timeout=120)
    status = re.search(r"SZS status (\w+)", done.stdout)
    if status:
        return status.group(1)
    if "Type mismatch" in done.stdout + done.stderr:
        return "TypeError"
    if "time limit exceeded" in done.stderr:
        return "ResourceOut"
    return f"Error ({done.returncode}): {done.stdout.strip()} {done.stderr.strip()}"


# A prover's answer that contradicts the tool's verdict.
CONTRADICTS = {"proved": "CounterSatisfiable", "bounded": "CounterSatisfiable",
               "counterexample": "Theorem", "witness": "Unsatisfiable", "none": "Satisfiable"}


@needs_eprover
def test_e_never_contradicts_the_library_and_confirms_its_proofs(library):
    """No claim the tool proved is CounterSatisfiable for E and no claim it refuted is a Theorem
    (nor an example with a witness Unsatisfiable); every proved claim without arithmetic is a
    Theorem for E. E has no arithmetic: where a proof needs it, E gives up."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda item: (*item, eprover(item[0])), library))
    assert not [(p.name, s) for p, _, s in answers if s.startswith("Error") or s == "TypeError"]
    assert not [(p.name, v, s) for p, v, s in answers if CONTRADICTS[v] == s]
    proved = [(p, s) for p, v, s in answers if v == "proved"]
    arithmetic = [(p, s) for p, s in proved if "with arithmetic" in p.read_text()]
    plain = [(p.name, s) for p, s in proved if (p, s) not in arithmetic]
    assert len(plain) >= 20 and all(s == "Theorem" for _, s in plain), plain
    figures = {"proved": len(proved), "E Theorem": sum(s == "Theorem" for _, s in proved),
               "with arithmetic": len(arithmetic),
               "with arithmetic, E Theorem": sum(s == "Theorem" for _, s in arithmetic),
               "refuted": sum(v == "counterexample" for _, v, _ in answers),
               "E statuses": dict(sorted(Counter(f"{v}: {s}" for _, v, s in answers).items()))}
    print(f"E on the spec library (shown with pytest -s): {figures}")


HOSTILE_NAMES = """\
sort bool
sort Bool_values = {true_, false_2}
sort agent
sort Agent
const x_prime: agent
const x': agent
pred X1: agent, bool
fun agent_type: Agent -> agent
pred bool_2: Bool, Bool_values
axiom x: forall agent: agent. exists bool: bool. X1(agent, bool)
axiom agent_type_2: forall Agent: Agent. x_prime != agent_type(Agent) -> x' = agent_type(Agent)
claim V_b: forall agent: agent, bool: bool. X1(agent, bool) expect counterexample
claim x_u0027: forall Agent: Agent. agent_type(Agent) = x_prime or agent_type(Agent) = x'
claim within_names: forall y: agent, agent: agent. y = agent within 2 expect counterexample
example true_2: exists bool: bool, Bool_values: Bool_values. bool_2(true, Bool_values)
"""
"""Names that are the TPTP export's own spellings (`x_prime`, `agent_type`, `bool`, `X1`, ...) and
variables named like their sorts (issue 19, item 1)."""


@needs_eprover
@pytest.mark.parametrize("name, text", [("small.align", SMALL), ("arith.align", ARITH),
                                        ("real.align", REAL_ONLY), ("hostile.align", HOSTILE_NAMES)],
                         ids=["small", "int-and-real", "real", "hostile-names"])
def test_e_reads_every_encoding_and_agrees(tmp_path, name, text):
    """Bool arguments, if-then-else, finite sorts, bounds and numbers, in TFF and in guarded
    FOF: E reads each problem, proves what the tool proved (arithmetic aside) and never
    contradicts a verdict."""
    program, results = checked(tmp_path, name, text)
    for query in program.queries:
        result = results[query.name]
        for dialect in ("auto", "fof"):
            try:
                problem = tptp_problem(program, query, result, dialect=dialect)
            except Untranslatable:
                continue
            path = tmp_path / f"{query.name}.{dialect}.p"
            path.write_text(problem)
            status = eprover(path)
            assert not status.startswith("Error"), (path.name, status)
            if status == "TypeError":  # E's limit, not the problem's: both kinds of number
                assert "$int" in problem and "$real" in problem, path.name
            assert status != CONTRADICTS[result.verdict.value], (path.name, status)
            if expected_status(query, result) == "Theorem" and "with arithmetic" not in problem:
                assert status == "Theorem", (path.name, status)
