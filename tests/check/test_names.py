"""Names given to a solver never collide with a user's, and a witness is the claim's own variables.

Issue 19, items 1 and 2. The tool mints every name a solver sees in one place
(translator/logic/names.py); a variable named like its sort once was the same
Z3 constant as one of the bounded search's elements, and a definition's
inner binder named like the claim's variable once replaced it in the printed
witness. The property test renames the sorts, symbols and variables of random
specs to each other's names, to SMT-LIB and TPTP words and to the spellings
the tool itself writes, and expects the same verdicts.
"""
from __future__ import annotations

import io
import json
import random
import re
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
from specgen import HOSTILE, renamed, renaming, specs  # noqa: E402

from translator.check.checker import CheckOptions, check_program  # noqa: E402
from translator.cli import dispatch  # noqa: E402
from translator.logic import core  # noqa: E402
from translator.logic.evaluate import evaluate  # noqa: E402
from translator.logic.expand import Fresh  # noqa: E402
from translator.logic.shapes import at_witness  # noqa: E402
from translator.logic.walk import Mapper, Visit  # noqa: E402
from translator.pipeline import Options, front_end, run  # noqa: E402


def checked(tmp_path: Path, text: str, name: str = "spec.align") -> tuple[list, list[core.Program]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = run([str(path)], Options(timeout=10.0))
    assert not outcome.input_error, [d.message for d in outcome.diagnostics]
    programs, _, _ = front_end([str(path)])
    return outcome.results, programs


def refutes(program: core.Program, result) -> bool:
    """Whether the reported witness, as printed, makes the claim false in the reported model."""
    query = next(q for q in program.queries if q.name == result.name)
    body, env = at_witness(query, result.witness, Fresh(1 << 40))
    goal = core.Not(body) if query.kind is core.QueryKind.CLAIM else body
    return evaluate(goal, result.model, env) is True


# ---------------------------------------------------------------- item 1: a variable named like its sort

def test_a_variable_named_like_its_sort_is_not_an_element_of_the_bound(tmp_path):
    results, programs = checked(tmp_path, "sort S\n"
                                          "claim c: forall y: S, S: S. y = S within 2\n"
                                          "example e: exists y: S, S: S. y != S within 2\n")
    claim, example = results
    assert claim.verdict.value == "counterexample" and claim.witness["y"] != claim.witness["S"]
    assert example.verdict.value == "witness" and example.witness["y"] != example.witness["S"]
    assert refutes(programs[0], claim) and refutes(programs[0], example)


def test_witness_and_element_names_differ_in_every_encoding():
    from translator.logic import names
    made = {names.witness("S", 1), names.element("S", 1), names.cover_variable("S"), names.variable("S", 1),
            names.track("S"), names.probe("S")}
    assert len(made) == 6
    assert not any(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_']*", n) for n in made)  # no user can write one


# ---------------------------------------------------------------- item 2: the claim's own variables

WITNESS_SPEC = """\
sort S
pred r: S, S
axiom refl: forall z: S. r(z, z)
def d(x: S) := forall y: S. r(x, y)
claim w1: forall y: S. d(y) expect counterexample
"""


def test_the_witness_is_the_claims_own_variable_not_an_inner_binder(tmp_path):
    results, programs = checked(tmp_path, WITNESS_SPEC)
    (result,) = results
    assert result.verdict.value == "counterexample" and list(result.witness) == ["y"]
    assert refutes(programs[0], result)  # d(y) is false at the y printed


def test_that_witness_is_replayed_from_its_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("w.align").write_text(WITNESS_SPEC, encoding="utf-8")

    def cli(*argv: str) -> dict:
        out, err = io.StringIO(), io.StringIO()
        assert dispatch(list(argv), out, err) == 0, err.getvalue()
        return json.loads(out.getvalue())["results"][0]

    fresh = cli("check", "--format", "json", "--record", "w.align")
    replayed = cli("check", "--format", "json", "--cached", "w.align")
    assert replayed.get("cached") is True
    assert replayed["witness"] == fresh["witness"] and replayed["verdict"] == "counterexample"


# ---------------------------------------------------------------- the property: renaming changes nothing

def verdicts(tmp_path: Path, text: str, name: str) -> list[tuple[str, str, int]]:
    results, _ = checked(tmp_path, text, name)
    return [(r.kind, r.verdict.value, len(r.used or ())) for r in results]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate))  # a failing spec is printed whole: no slow shrinking
@given(specs(2048))
def test_renaming_sorts_symbols_and_variables_changes_no_verdict(tmp_path_factory, text):
    tmp_path = tmp_path_factory.mktemp("names")
    for seed in (0, 1):
        hostile = renamed(text, renaming(text, seed))
        assert verdicts(tmp_path, hostile, f"renamed{seed}.align") == verdicts(tmp_path, text, "original.align"), \
            f"\n{text}\n---\n{hostile}"


def test_the_renaming_is_hostile_and_keeps_the_spec_well_typed(tmp_path):
    text = "sort S\nsort T\nconst c0: S\npred p0: S, T\naxiom ax0: forall x: S. exists y: T. p0(x, y)\n" \
           "claim cl0: forall x: S, y: T. p0(x, y) expect counterexample\n"
    for seed in range(5):
        mapping = renaming(text, seed)
        allowed = set(HOSTILE) | {mapping["S"], mapping["T"]} | {f"v{i}" for i in range(10)}
        assert {mapping["x"], mapping["y"]} <= allowed and mapping["x"] != mapping["y"]
        assert verdicts(tmp_path, renamed(text, mapping), f"r{seed}.align") == [("claim", "counterexample", 0)]


# ---------------------------------------------------------------- the same, on core programs

class _Renamed(Mapper):
    """A core term with sorts, symbols and definitions replaced and every variable named anew."""

    def __init__(self, sorts: dict, symbols: dict, definitions: dict, name_binder):
        self.sorts, self.symbols, self.definitions, self.name_binder = sorts, symbols, definitions, name_binder
        self.names: dict[int, str] = {}

    def binder(self, vars: tuple[core.Var, ...]) -> tuple[core.Var, ...]:
        self.names.update(zip((v.uid for v in vars), self.name_binder(vars)))
        return tuple(self.var(v) for v in vars)

    def var(self, var: core.Var) -> core.Var:
        return core.Var(self.names.get(var.uid, var.name), self.sorts.get(var.sort, var.sort), var.uid, var.span)

    def visit_Var(self, term: core.Var, env: None) -> core.Term:
        return self.var(term)

    def visit_App(self, term: core.App, env: None) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        return core.App(self.symbols[term.symbol], tuple(args), term.span)

    def visit_NumLit(self, term: core.NumLit, env: None) -> core.Term:
        return term

    def visit_Quant(self, term: core.Quant, env: None) -> Visit:
        return core.Quant(term.kind, self.binder(term.vars), (yield term.body), term.span)

    def visit_DefCall(self, term: core.DefCall, env: None) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        return core.DefCall(self.definitions[term.defn.name], tuple(args), term.span)

    def visit_BuiltinCall(self, term: core.BuiltinCall, env: None) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        via = self.symbols[term.via] if term.via is not None else None
        return core.BuiltinCall(term.name, tuple(self.symbols[s] for s in term.symbols), via, tuple(args), term.span)


def renamed_program(program: core.Program, seed: int) -> core.Program:
    """`program` with its sorts and symbols permuted among each other's names and hostile ones, and
    the bound variables named like their own sort where a binder allows (`forall y: S, S: S`: not the
    first of a binder, for even seeds) or with hostile names, each name once per binder."""
    rng = random.Random(seed)
    own = [s.name for s in program.sorts if not s.builtin] + [s.name for s in program.symbols]
    pool = own + HOSTILE
    rng.shuffle(pool)
    new = dict(zip(own, pool))
    sorts = {}
    for sort in program.sorts:
        if not sort.builtin:
            elements = tuple(new[e] for e in sort.elements) if sort.elements is not None else None
            sorts[sort] = core.Sort(new[sort.name], elements)
    symbols = {s: core.Symbol(new[s.name], tuple(sorts.get(a, a) for a in s.args), sorts.get(s.result, s.result),
                              s.kind, s.span, s.doc) for s in program.symbols}
    free = [n for n in HOSTILE if n not in new.values()]

    def name_binder(vars: tuple[core.Var, ...]) -> list[str]:
        names: list[str] = []
        for i, var in enumerate(vars):
            own_name = sorts[var.sort].name if var.sort in sorts else None
            if own_name and own_name not in names and (i > 0 if seed % 2 == 0 else rng.random() < 0.5):
                names.append(own_name)
            else:
                names.append(rng.choice([n for n in free if n not in names]))
        return names

    definitions: dict[str, core.Definition] = {}
    mapper = _Renamed(sorts, symbols, definitions, name_binder)
    for d in program.definitions:  # in order: a definition calls only earlier ones
        definitions[d.name] = core.Definition(d.name, mapper.binder(d.params), mapper.visit(d.body),
                                              d.span, d.doc)
    return core.Program(program.root, tuple(sorts.get(s, s) for s in program.sorts),
                        tuple(symbols.values()), tuple(definitions.values()),
                        tuple(core.Axiom(a.name, mapper.visit(a.formula), a.span) for a in program.axioms),
                        tuple(replace(q, formula=mapper.visit(q.formula)) for q in program.queries),
                        program.next_uid)


def core_verdicts(program: core.Program) -> list[tuple[str, str, int]]:
    outcome = check_program(program, CheckOptions(timeout=10.0))
    return [(r.kind, r.verdict.value, len(r.used or ())) for r in outcome.results]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate))
@given(specs(2048))
@example(text="sort S\nclaim c: forall y: S, x: S. y = x within 2\nexample e: exists y: S, x: S. y != x within 2\n")
def test_variables_named_like_their_sorts_and_symbols_permuted_change_no_verdict(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("core") / "spec.align"
    path.write_text(text, encoding="utf-8")
    programs, diags, _ = front_end([str(path)])
    assert not diags
    (program,) = programs
    expected = core_verdicts(program)
    for seed in (0, 1):
        assert core_verdicts(renamed_program(program, seed)) == expected, f"seed {seed}\n{text}"


def test_the_core_renaming_names_variables_like_their_sorts(tmp_path):
    _, programs = checked(tmp_path, "sort S\nclaim c: forall y: S, x: S. y = x within 2\n")
    program = renamed_program(programs[0], 0)
    (query,) = program.queries
    first, second = (v.name for v in query.formula.vars)
    assert second == program.sorts[0].name and first in HOSTILE  # `forall y: S, S: S`, renamed
    assert core_verdicts(program) == [("claim", "counterexample", 0)]
