"""The verdict logic (translator/check/checker.py): LANGUAGE.md §4 on hand-built core programs."""
from __future__ import annotations

from fractions import Fraction

from coreterms import ap, exists, forall, num, program_of

from translator.check.checker import CheckOptions, ProgramOutcome, check_program
from translator.check.results import Verdict
from translator.frontend import diagnostics
from translator.frontend.source import Span
from translator.logic.core import (
    BOOL,
    INT,
    REAL,
    Add,
    And,
    App,
    Axiom,
    BuiltinCall,
    Compare,
    DefCall,
    Definition,
    Eq,
    Iff,
    Implies,
    Not,
    Program,
    Query,
    QueryKind,
    Scale,
    Sort,
    Symbol,
    SymbolKind,
    Var,
)
from translator.solvers.z3 import Session as Z3Session

FAST = CheckOptions(timeout=5.0)


class Spec:
    """A core program built by hand: declare sorts and symbols, then axioms and queries."""

    def __init__(self):
        self.sorts, self.symbols, self.axioms, self.queries = [], [], [], []
        self.uid = 0

    def sort(self, name, *elements):
        sort = Sort(name, tuple(elements) or None)
        self.sorts.append(sort)
        self.symbols += [Symbol(e, (), sort, SymbolKind.ELEMENT) for e in elements]
        return sort

    def element(self, name):
        return App(next(s for s in self.symbols if s.name == name))

    def symbol(self, name, args, result, kind=SymbolKind.FUN):
        symbol = Symbol(name, tuple(args), result, kind)
        self.symbols.append(symbol)
        return symbol

    def var(self, name, sort):
        self.uid += 1
        return Var(name, sort, self.uid)

    def axiom(self, name, formula):
        self.axioms.append(Axiom(name, formula, span=Span("t.align", len(self.axioms) + 1, 1, 1, 9)))

    def claim(self, name, formula, expect="proved", within=None):
        self.queries.append(Query(QueryKind.CLAIM, name, formula, expect, within, "t.align"))

    def example(self, name, formula, expect="witness", within=None):
        self.queries.append(Query(QueryKind.EXAMPLE, name, formula, expect, within, "t.align"))

    def program(self):
        return Program("t.align", tuple(self.sorts), tuple(self.symbols), (), tuple(self.axioms),
                       tuple(self.queries), next_uid=self.uid + 1)


def check(spec, **kwargs) -> ProgramOutcome:
    return check_program(spec.program(), kwargs.pop("options", FAST), **kwargs)


def by_name(outcome):
    return {r.name: r for r in outcome.results}


# ---------------------------------------------------------------- the diagram (acceptance case a01)

def diagram():
    spec = Spec()
    agent, objective, policy = spec.sort("Agent"), spec.sort("Objective"), spec.sort("Policy")
    base = spec.symbol("base", [agent], objective)
    behavioral = spec.symbol("behavioral", [agent], objective)
    mesa = spec.symbol("mesa", [agent], objective)
    optimal = spec.symbol("optimal", [objective], policy)
    mesa_opt = spec.symbol("mesa_optimizer", [agent], BOOL, SymbolKind.PRED)
    aligned = spec.symbol("aligned", [policy, objective], BOOL, SymbolKind.PRED)
    spec.symbol("humans", [], objective, SymbolKind.CONST)  # declared, never mentioned
    a1 = spec.var("a", agent)
    robust = Definition("objective_robust", (a1,), ap(aligned, ap(optimal, ap(behavioral, a1)), ap(base, a1)))
    a2 = spec.var("a", agent)
    inner = Definition("inner_aligned", (a2,),
                       And((ap(mesa_opt, a2), ap(aligned, ap(optimal, ap(mesa, a2)), ap(base, a2)))))
    a = spec.var("a", agent)
    spec.axiom("mesa_is_behavioral", forall([a], Implies(ap(mesa_opt, a), Eq(ap(behavioral, a), ap(mesa, a)))))
    a = spec.var("a", agent)
    spec.claim("inner_implies_robust", forall([a], Implies(DefCall(inner, (a,)), DefCall(robust, (a,)))))
    a = spec.var("a", agent)
    spec.claim("robust_implies_inner", forall([a], Implies(DefCall(robust, (a,)), DefCall(inner, (a,)))),
               expect="counterexample")
    a = spec.var("a", agent)
    spec.example("robust_without_mesa", exists([a], And((DefCall(robust, (a,)), Not(ap(mesa_opt, a))))))
    return spec


def test_proved_with_used_axioms():
    result = by_name(check(diagram()))["inner_implies_robust"]
    assert result.verdict is Verdict.PROVED and result.ok
    assert result.used == ("mesa_is_behavioral",)
    assert result.model is None and result.witness is None
    assert result.warnings == () and result.reason is None


def test_counterexample_with_witness_and_tables():
    result = by_name(check(diagram()))["robust_implies_inner"]
    assert result.verdict is Verdict.COUNTEREXAMPLE and result.ok
    model = result.model
    agent = result.witness["a"]
    assert agent in model.universes["Agent"]
    assert model.witness == result.witness
    # the witness really is a counterexample: objective_robust(a) holds and inner_aligned(a) fails
    optimal_behavioral = model.value("optimal", (model.value("behavioral", (agent,)),))
    assert model.value("aligned", (optimal_behavioral, model.value("base", (agent,)))) is True
    optimal_mesa = model.value("optimal", (model.value("mesa", (agent,)),))
    assert not (model.value("mesa_optimizer", (agent,))
                and model.value("aligned", (optimal_mesa, model.value("base", (agent,)))))
    # every Agent x Objective... tuple is listed for finite arguments
    assert len(model.tables["aligned"].rows) == len(model.universes["Policy"]) * len(model.universes["Objective"])


def test_shown_symbols_reach_through_definitions_but_skip_the_unmentioned():
    result = by_name(check(diagram()))["robust_implies_inner"]
    assert set(result.shown_symbols) == {"aligned", "optimal", "behavioral", "base", "mesa_optimizer", "mesa"}
    assert result.shown_sorts == ("Agent", "Objective", "Policy")


def test_example_witness():
    result = by_name(check(diagram()))["robust_without_mesa"]
    assert result.verdict is Verdict.WITNESS and result.ok
    assert result.model.value("mesa_optimizer", (result.witness["a"],)) is False


def test_names_select_queries():
    outcome = check(diagram(), names={"robust_without_mesa"})
    assert [r.name for r in outcome.results] == ["robust_without_mesa"]


def test_same_program_twice_same_models():
    first, second = check(diagram()), check(diagram())
    assert [r.model for r in first.results] == [r.model for r in second.results]
    assert [r.witness for r in first.results] == [r.witness for r in second.results]


def test_a_query_does_not_depend_on_which_others_run():
    alone = by_name(check(diagram(), names={"robust_implies_inner"}))["robust_implies_inner"]
    together = by_name(check(diagram()))["robust_implies_inner"]
    assert alone.model == together.model


# ---------------------------------------------------------------- used: minimised, declaration order

def test_valid_claim_uses_nothing():
    spec = Spec()
    s = spec.sort("S")
    p = spec.symbol("p", [s], BOOL, SymbolKind.PRED)
    spec.axiom("someone_p", exists([spec.var("x", s)], ap(p, spec.var("x", s))))
    x = spec.var("x", s)
    spec.claim("excluded_middle", forall([x], Implies(ap(p, x), ap(p, x))))
    result = by_name(check(spec))["excluded_middle"]
    assert result.verdict is Verdict.PROVED and result.used == ()


def chain_spec():
    """p(c), p -> q, q -> r, a shortcut q(c), an unrelated axiom: r(c) needs only some."""
    spec = Spec()
    s = spec.sort("S")
    p, q, r = (spec.symbol(n, [s], BOOL, SymbolKind.PRED) for n in "pqr")
    c = spec.symbol("c", [], s, SymbolKind.CONST)
    spec.axiom("c_is_p", ap(p, ap(c)))
    x = spec.var("x", s)
    spec.axiom("p_to_q", forall([x], Implies(ap(p, x), ap(q, x))))
    x = spec.var("x", s)
    spec.axiom("q_to_r", forall([x], Implies(ap(q, x), ap(r, x))))
    spec.axiom("c_is_q", ap(q, ap(c)))
    x = spec.var("x", s)
    spec.axiom("unrelated", exists([x], Not(ap(p, x))))
    spec.claim("c_is_r", ap(r, ap(c)))
    return spec


def test_used_is_minimised_by_deletion(monkeypatch):
    # Make the solver's first core as large as possible (every axiom): still an unsat core,
    # and the deletion pass must bring it down to a minimal one.
    real_solve = Z3Session.solve

    def padded(self, tracked, *args, **kwargs):
        out = real_solve(self, tracked, *args, **kwargs)
        if out.status == "unsat":
            return type(out)("unsat", core=tuple(n for n, _ in tracked))
        return out

    monkeypatch.setattr(Z3Session, "solve", padded)
    result = by_name(check(chain_spec()))["c_is_r"]
    assert result.verdict is Verdict.PROVED
    assert result.used in (("c_is_p", "p_to_q", "q_to_r"), ("q_to_r", "c_is_q"))


# ---------------------------------------------------------------- inconsistency

def inconsistent_spec():
    spec = Spec()
    s = spec.sort("S")
    p = spec.symbol("p", [s], BOOL, SymbolKind.PRED)
    c = spec.symbol("c", [], s, SymbolKind.CONST)
    spec.axiom("harmless", Eq(ap(c), ap(c)))
    x = spec.var("x", s)
    spec.axiom("all_p", forall([x], ap(p, x)))
    spec.axiom("extra", ap(p, ap(c)))
    spec.axiom("c_not_p", Not(ap(p, ap(c))))
    spec.claim("anything", Not(ap(p, ap(c))))
    spec.example("something", ap(p, ap(c)))
    return spec


def test_inconsistent_axioms_are_an_error_and_nothing_is_proved():
    outcome = check(inconsistent_spec())
    diag = outcome.inconsistency
    assert diag is not None and diag.code == diagnostics.INCONSISTENT
    assert ("all_p" in diag.message or "extra" in diag.message) and "c_not_p" in diag.message
    assert "harmless" not in diag.message
    conflict = "all_p, c_not_p" if "all_p" in diag.message else "extra, c_not_p"
    assert diag.span.line == (2 if conflict.startswith("all_p") else 3)
    for result in outcome.results:
        assert result.verdict is Verdict.UNKNOWN and not result.ok
        assert result.reason == f"the axioms are inconsistent: {conflict}"
        assert result.model is None


# ---------------------------------------------------------------- vacuity

def test_vacuous_hypothesis_is_proved_with_a_warning():
    spec = Spec()
    s = spec.sort("S")
    p, q = (spec.symbol(n, [s], BOOL, SymbolKind.PRED) for n in "pq")
    x = spec.var("x", s)
    spec.axiom("nobody_p", forall([x], Not(ap(p, x))))
    x = spec.var("x", s)
    hypothesis = App(p, (x,), span=Span("t.align", 9, 20, 9, 24))
    spec.claim("p_implies_q", forall([x], Implies(hypothesis, ap(q, x))))
    x = spec.var("x", s)
    spec.claim("honest", forall([x], Implies(ap(q, x), ap(q, x))))
    results = by_name(check(spec))
    vacuous = results["p_implies_q"]
    assert vacuous.verdict is Verdict.PROVED and vacuous.ok
    assert len(vacuous.warnings) == 1
    assert vacuous.warnings[0].startswith("vacuous: the hypothesis at t.align:9:20 can never hold under the axioms")
    assert results["honest"].warnings == ()


# ---------------------------------------------------------------- within N

def within_spec():
    spec = Spec()
    s = spec.sort("S")
    x, y = spec.var("x", s), spec.var("y", s)
    spec.claim("one_element", forall([x, y], Eq(x, y)), within=1)
    x, y = spec.var("x", s), spec.var("y", s)
    spec.claim("one_element_2", forall([x, y], Eq(x, y)), within=2)
    x = spec.var("x", s)
    spec.claim("reflexive", forall([x], Eq(x, x)), within=3)
    return spec


def test_within_gives_bounded_counterexample_or_proved():
    results = by_name(check(within_spec()))
    bounded = results["one_element"]
    assert bounded.verdict is Verdict.BOUNDED and bounded.ok  # expect proved is met by bounded
    assert bounded.used is None and bounded.model is None
    assert any("more than 1 element" in w for w in bounded.warnings)
    refuted = results["one_element_2"]
    assert refuted.verdict is Verdict.COUNTEREXAMPLE and not refuted.ok
    assert refuted.witness["x"] != refuted.witness["y"]
    assert len(refuted.model.universes["S"]) <= 2
    assert results["reflexive"].verdict is Verdict.PROVED


# ---------------------------------------------------------------- finite sorts (acceptance case a04)

def test_finite_sorts():
    spec = Spec()
    dist = spec.sort("Dist", "train", "deploy")
    agent = spec.sort("Agent")
    well = spec.symbol("performs_well", [agent, dist], BOOL, SymbolKind.PRED)
    a, d = spec.var("a", agent), spec.var("d", dist)
    robust = Definition("robust", (a,), forall([d], ap(well, a, d)))
    train, deploy = spec.element("train"), spec.element("deploy")
    a = spec.var("a", agent)
    spec.claim("robust_means_both", forall([a], Iff(DefCall(robust, (a,)),
                                                    And((ap(well, a, train), ap(well, a, deploy))))))
    a = spec.var("a", agent)
    spec.claim("training_is_enough", forall([a], Implies(ap(well, a, train), DefCall(robust, (a,)))),
               expect="counterexample")
    results = by_name(check(spec))
    assert results["robust_means_both"].verdict is Verdict.PROVED
    cex = results["training_is_enough"]
    assert cex.verdict is Verdict.COUNTEREXAMPLE and cex.ok
    assert cex.model.universes["Dist"] == ("train", "deploy")
    a = cex.witness["a"]
    assert cex.model.value("performs_well", (a, "train")) is True
    assert cex.model.value("performs_well", (a, "deploy")) is False
    assert cex.shown_symbols == ("performs_well",)  # the elements are not symbols to show
    assert cex.shown_sorts == ("Dist", "Agent")


# ---------------------------------------------------------------- arithmetic

def test_int_and_real_arithmetic():
    spec = Spec()
    agent = spec.sort("Agent")
    score = spec.symbol("score", [agent], INT)
    weight = spec.symbol("weight", [agent], REAL)
    a = spec.var("a", agent)
    spec.axiom("nonnegative", forall([a], Compare(">=", ap(score, a), num(0))))
    a = spec.var("a", agent)
    spec.claim("positive_after_one", forall([a], Compare(">", Add((ap(score, a), num(1))), num(0))))
    n = spec.var("n", INT)
    spec.claim("no_half", forall([n], Not(Eq(Scale(Fraction(2), n), num(7)))))
    r = spec.var("r", REAL)
    spec.claim("no_real_half", forall([r], Not(Eq(Scale(Fraction(2), r), num(7, REAL)))),
               expect="counterexample")
    a = spec.var("a", agent)
    spec.example("light", exists([a], Compare("<", ap(weight, a), num(Fraction(1, 3), REAL))))
    results = by_name(check(spec))
    assert results["positive_after_one"].verdict is Verdict.PROVED
    assert results["positive_after_one"].used == ("nonnegative",)
    assert results["no_half"].verdict is Verdict.PROVED
    real = results["no_real_half"]
    assert real.verdict is Verdict.COUNTEREXAMPLE and real.witness == {"r": Fraction(7, 2)}
    light = results["light"]
    assert light.verdict is Verdict.WITNESS
    assert light.model.value("weight", (light.witness["a"],)) < Fraction(1, 3)


# ---------------------------------------------------------------- examples

def test_example_none_and_within():
    spec = Spec()
    s = spec.sort("S")
    p = spec.symbol("p", [s], BOOL, SymbolKind.PRED)
    a = spec.var("a", s)
    spec.example("contradiction", exists([a], And((ap(p, a), Not(ap(p, a))))), expect="none")
    a, b, c = spec.var("a", s), spec.var("b", s), spec.var("c", s)
    three = exists([a, b, c], And((Not(Eq(a, b)), Not(Eq(a, c)), Not(Eq(b, c)))))
    spec.example("three_small", three, within=2)
    a, b, c = spec.var("a", s), spec.var("b", s), spec.var("c", s)
    spec.example("three", exists([a, b, c], And((Not(Eq(a, b)), Not(Eq(a, c)), Not(Eq(b, c))))), within=3)
    results = by_name(check(spec))
    assert results["contradiction"].verdict is Verdict.NONE and results["contradiction"].ok
    small = results["three_small"]
    assert small.verdict is Verdict.UNKNOWN and "at most 2 elements" in small.reason
    found = results["three"]
    assert found.verdict is Verdict.WITNESS and len(set(found.witness.values())) == 3


def test_builtins_reach_the_solver_and_the_shown_symbols():
    spec = Spec()
    s, sigma = spec.sort("S"), spec.sort("Sigma")
    f = spec.symbol("f", [s], REAL)
    g = spec.symbol("g", [sigma], REAL)
    b = spec.symbol("as_system", [sigma], s, SymbolKind.BRIDGE)
    seen = spec.symbol("seen", [sigma], BOOL, SymbolKind.PRED)
    spec.claim("not_enough", Implies(BuiltinCall("agree_on", (seen, f, g), b), BuiltinCall("agree", (f, g), b)),
               expect="counterexample")
    spec.example("possible", BuiltinCall("agree", (f, g), b))
    results = by_name(check(spec))
    assert results["not_enough"].verdict is Verdict.COUNTEREXAMPLE and results["not_enough"].ok
    assert results["not_enough"].shown_symbols == ("seen", "f", "g", "as_system")
    assert results["not_enough"].shown_sorts == ("S", "Sigma")
    assert results["possible"].verdict is Verdict.WITNESS


# ---------------------------------------------------------------- the re-check

def reject(*names):
    """A re-check stand-in that declares the named formulas false in every model."""
    return lambda model, formulas: [n for n, _ in formulas if n in names]


def test_a_model_that_fails_the_recheck_is_never_reported():
    outcome = check(diagram(), recheck=reject("robust_implies_inner", "robust_without_mesa"))
    results = by_name(outcome)
    for name in ("robust_implies_inner", "robust_without_mesa"):
        result = results[name]
        assert result.verdict is Verdict.UNKNOWN and not result.ok
        assert result.reason == f"the solver's model failed the re-check: {name}"
        assert result.model is None and result.witness is None
    assert results["inner_implies_robust"].verdict is Verdict.PROVED  # proofs need no model


def test_a_model_the_evaluator_cannot_decide_is_unknown_saying_so_not_that_it_failed(tmp_path):
    """No integer lies strictly between x and x + 1, so z3 refutes the claim; but `exists y: Int`
    has no finite table, so the world cannot be re-checked: unknown, and the reason says why."""
    (result,) = check_program(program_of(tmp_path, "claim c: forall x: Int. exists y: Int. x < y and y < x + 1\n"),
                              FAST).results
    assert result.verdict is Verdict.UNKNOWN and result.model is None
    assert result.reason == ("the solver's model could not be re-checked: the evaluator cannot decide c in it "
                             "(for example a quantifier over Int or Real, which no finite table decides)")


def test_unestablished_consistency_warns_on_proofs(monkeypatch):
    from translator.check import theory
    from translator.solvers.cvc5 import Answer
    monkeypatch.setattr(theory._Asker, "__call__", lambda self, checker, names:
                        Answer("unknown", "cvc5: incomplete"))  # the second solver cannot tell either
    outcome = check(diagram(), recheck=reject("mesa_is_behavioral"))
    assert outcome.inconsistency is None
    proved = by_name(outcome)["inner_implies_robust"]
    assert proved.verdict is Verdict.PROVED
    assert any("consistency of the axioms could not be established" in w for w in proved.warnings)


def test_solver_giving_up_is_unknown_with_its_reason():
    outcome = check(diagram(), options=CheckOptions(timeout=5.0, rlimit=1))
    for result in outcome.results:
        assert result.verdict is Verdict.UNKNOWN and not result.ok
        assert result.reason


def _doubling(levels: int, where: str) -> str:
    """Definitions that each use the one below twice: 2**levels copies when unfolded."""
    lines = ["sort U", "fun f: U -> U", "fun g: U -> U", "pred p: U", "def d0(x: U) := p(x)"]
    lines += [f"def d{i}(x: U) := d{i - 1}(f(x)) and d{i - 1}(g(x))" for i in range(1, levels + 1)]
    lines.append("claim fine: forall x: U. p(x) -> p(x)")
    if where == "claim":
        lines.append(f"claim blowup: forall x: U. d{levels}(x) -> p(x)  expect counterexample")
    else:
        lines.append(f"axiom blowup: forall x: U. d{levels}(x)")
    return "\n".join(lines) + "\n"


def test_a_formula_that_unfolds_exponentially_is_refused_not_built(tmp_path):
    """30 levels would be 2**30 copies: the claim is unknown with the reason, the others are checked."""
    import io
    import json

    from translator.cli import dispatch
    spec = tmp_path / "blowup.align"
    spec.write_text(_doubling(30, "claim"))
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["check", "--format", "json", str(spec)], out, err) == 1
    results = {r["name"]: r for r in json.loads(out.getvalue())["results"]}
    assert results["fine"]["verdict"] == "proved"
    assert results["blowup"]["verdict"] == "unknown" and "unfold into more than 10,000" in results["blowup"]["reason"]


def test_an_axiom_that_unfolds_exponentially_proves_nothing(tmp_path):
    import io
    import json

    from translator.cli import dispatch
    spec = tmp_path / "blowup.align"
    spec.write_text(_doubling(30, "axiom"))
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["check", "--format", "json", str(spec)], out, err) == 1
    [fine] = json.loads(out.getvalue())["results"]
    assert fine["verdict"] == "unknown" and "axiom blowup cannot be checked" in fine["reason"]
