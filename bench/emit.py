"""Core programs to plain z3.py source: the "hand-written" baseline.

Used OFFLINE (bench/gen_handwritten.py writes bench/handwritten_spec.py) and by
the growth benchmark (bench/growth.py), which exec's the emitted source to time
raw z3 on exactly the formulas the tool sends. The emitted code imports only
z3: no parser, no type checker, no evaluator, no model shrinking.

It translates expanded core terms the way translator/solvers/z3/translate.py does (Iff as ==,
Add as Sum, Scale as coeff * arg, Real literals as "n/d"), so the solver sees
the same formulas. It reads the translator's private checker helpers
(`_Checker.peel`, its expanded axioms) to get the exact goals; that is fine for
an offline generator, and it is the only place bench/ touches private API.
"""
from __future__ import annotations

from fractions import Fraction

from translator.check.checker import CheckOptions, _Checker
from translator.logic import core
from translator.logic.evaluate import failing
from translator.logic.expand import Fresh


class Emitter:
    """One program's declarations and formulas as Python source lines."""

    def __init__(self, program: core.Program):
        self.program = program
        self.vars: dict[str, str] = {}  # z3 name -> python expression declaring it

    def sort(self, sort: core.Sort) -> str:
        if sort == core.BOOL:
            return "BoolSort(ctx)"
        if sort == core.INT:
            return "IntSort(ctx)"
        if sort == core.REAL:
            return "RealSort(ctx)"
        return f"S[{sort.name!r}]"

    def declarations(self) -> list[str]:
        out = ["S, F, E, V = {}, {}, {}, {}"]
        for sort in self.program.sorts:
            if sort.is_finite:
                out.append(f"S[{sort.name!r}], _els = EnumSort({sort.name!r}, {list(sort.elements)!r}, ctx=ctx)")
                out.append(f"E.update(zip({list(sort.elements)!r}, _els))")
            elif sort.is_uninterpreted:
                out.append(f"S[{sort.name!r}] = DeclareSort({sort.name!r}, ctx)")
        for sym in self.program.symbols:
            if sym.kind is core.SymbolKind.ELEMENT:
                continue
            out.append(self.function(sym))
        return out

    def function(self, sym: core.Symbol) -> str:
        args = ", ".join(self.sort(s) for s in (*sym.args, sym.result))
        return f"F[{sym.name!r}] = Function({sym.name!r}, {args})"

    def var(self, v: core.Var) -> str:
        name = f"{v.name}!{v.uid}"
        key = f"{name}:{v.sort.name}"  # uids restart per query: the same name may have another sort
        self.vars.setdefault(key, f"V[{key!r}] = Const({name!r}, {self.sort(v.sort)})")
        return f"V[{key!r}]"

    def num(self, value: Fraction, sort: core.Sort) -> str:
        value = Fraction(value)
        if sort == core.INT:
            return f"IntVal({value.numerator}, ctx)"
        return f"RealVal('{value.numerator}/{value.denominator}', ctx)"

    def term(self, t: core.Term) -> str:
        e = self.term
        if isinstance(t, core.Var):
            return self.var(t)
        if isinstance(t, core.App):
            if t.symbol.kind is core.SymbolKind.ELEMENT:
                return f"E[{t.symbol.name!r}]"
            return f"F[{t.symbol.name!r}]({', '.join(e(a) for a in t.args)})"
        if isinstance(t, core.BoolLit):
            return f"BoolVal({t.value}, ctx)"
        if isinstance(t, core.NumLit):
            return self.num(t.value, t.sort)
        if isinstance(t, core.Not):
            return f"Not({e(t.arg)})"
        if isinstance(t, core.And):
            return f"And({', '.join(e(a) for a in t.args)})" if t.args else "BoolVal(True, ctx)"
        if isinstance(t, core.Or):
            return f"Or({', '.join(e(a) for a in t.args)})" if t.args else "BoolVal(False, ctx)"
        if isinstance(t, core.Implies):
            return f"Implies({e(t.lhs)}, {e(t.rhs)})"
        if isinstance(t, (core.Iff, core.Eq)):
            return f"({e(t.lhs)} == {e(t.rhs)})"
        if isinstance(t, core.Compare):
            return f"({e(t.lhs)} {t.op} {e(t.rhs)})"
        if isinstance(t, core.Add):
            return f"Sum([{', '.join(e(a) for a in t.args)}])"
        if isinstance(t, core.Neg):
            return f"(-{e(t.arg)})"
        if isinstance(t, core.Scale):
            return f"({self.num(t.coeff, t.arg.sort)} * {e(t.arg)})"
        if isinstance(t, core.Ite):
            return f"If({e(t.cond)}, {e(t.then)}, {e(t.else_)})"
        if isinstance(t, core.Quant):
            make = "ForAll" if t.kind is core.QuantKind.FORALL else "Exists"
            return f"{make}([{', '.join(self.var(v) for v in t.vars)}], {e(t.body)})"
        raise TypeError(f"not expanded: {type(t).__name__}")


def program_source(program: core.Program, fn_name: str, timeout_ms: int = 10_000,
                   rlimit: int = 5_000_000, skip: frozenset[str] = frozenset()) -> str:
    """A function `fn_name()` that checks the program's queries with plain z3.py and prints results.

    Per program: one z3 Context, declarations once; a consistency check of the
    tracked axioms (printing the core if unsat); then for each query a fresh
    Solver: tracked axioms + the goal (negated for claims), `within N` as a
    cardinality bound (then an unbounded re-check for a proof); it prints the
    verdict, the unsat core (proved) or the witness values and the model (sat).
    A query z3 gives up on is named on standard error ("raw z3 gave up: NAME").
    Queries named in `skip` are left out.
    """
    checker = _Checker(program, CheckOptions(), failing)
    em = Emitter(program)
    body: list[str] = []
    axioms = [(name, em.term(f)) for name, f in checker.axioms]
    body.append("AX = [")
    for name, src in axioms:
        body.append(f"    ({name!r}, {src}),")
    body.append("]")
    body.append("TR = [(n, f, Bool('@track:' + n, ctx)) for n, f in AX]")
    body.append("def solver():")
    body.append("    s = Solver(ctx=ctx)")
    body.append(f"    s.set('timeout', {timeout_ms}); s.set('rlimit', {rlimit}); s.set('random_seed', 0)")
    body.append("    for n, f, lit in TR:")
    body.append("        s.assert_and_track(f, lit)")
    body.append("    return s")
    body.append("def core_of(s):")
    body.append("    names = {str(c) for c in s.unsat_core()}")
    body.append("    return [n for n, f, lit in TR if str(lit) in names]")
    body.append("def show(s, ws):")
    body.append("    m = s.model()")
    body.append("    print('    witness:', ', '.join(f'{k} = {m.eval(w, model_completion=True)}' for k, w in ws))")
    body.append("    print('    model:', m.sexpr().replace(chr(10), ' ')[:2000])")
    body.append("def bound(s, n):")
    body.append("    for name, z in S.items():")
    body.append("        if z.kind() == Z3_UNINTERPRETED_SORT:")
    body.append("            x = Const('x@' + name, z)")
    body.append("            s.add(ForAll([x], Or(*[x == Const(f'{name}@{i}', z) for i in range(1, max(1, n) + 1)])))")
    body.append("s = solver()")
    body.append("r = s.check()")
    body.append(f"print({program.root!r}, 'axioms', r, core_of(s) if r == unsat else '')")
    for query in program.queries:
        if query.name in skip:
            continue
        goal = checker.peel(query, Fresh(checker.query_uids))
        for w in goal.witnesses:
            body.append(f"F[{w.name!r}] = Const({w.name!r}, {em.sort(w.result)})")
        # witnesses are App(witness symbol) in the goal; emit them as F[...] constants, not calls
        formula = em.term(goal.expanded)
        for w in goal.witnesses:
            formula = formula.replace(f"F[{w.name!r}]()", f"F[{w.name!r}]")
        claim = query.kind is core.QueryKind.CLAIM
        body.append(f"# {query.kind.value} {query.name}")
        body.append("s = solver()")
        body.append(f"s.add({'Not(' + formula + ')' if claim else formula})")
        ws_src = "[" + ", ".join(f"({v.name!r}, F[{w.name!r}])" for v, w in zip(goal.vars, goal.witnesses)) + "]"
        if query.within is not None:
            body.append(f"bound(s, {query.within})")
        body.append("r = s.check()")
        sat_word, unsat_word = ("counterexample", "proved") if claim else ("witness", "none")
        body.append(f"if r == sat:\n    print('  {query.name}: {sat_word}'); show(s, {ws_src})")
        if query.within is not None:
            body.append("elif r == unsat:")
            body.append("    s = solver()")
            body.append(f"    s.add({'Not(' + formula + ')' if claim else formula})")
            body.append("    r2 = s.check()")
            body.append(f"    print('  {query.name}:', {unsat_word!r} if r2 == unsat else 'bounded', "
                        "core_of(s) if r2 == unsat else '')")
        else:
            body.append(f"elif r == unsat:\n    print('  {query.name}: {unsat_word}', core_of(s))")
        # the tool falls back to models with 1, 2, 3 elements per sort when z3 gives up: so does this
        body.append("else:")
        body.append("    why = s.reason_unknown()")
        body.append(f"    print('raw z3 gave up:', {query.name!r}, file=sys.stderr)")
        body.append("    for n in (1, 2, 3):")
        body.append(f"        s = solver(); s.set('timeout', {timeout_ms // 4}); s.set('rlimit', {rlimit // 4})")
        body.append(f"        s.add({'Not(' + formula + ')' if claim else formula}); bound(s, n)")
        body.append("        if s.check() == sat:")
        body.append(f"            print('  {query.name}: {sat_word}'); show(s, {ws_src}); break")
        body.append("    else:")
        body.append(f"        print('  {query.name}: unknown', why)")
    decls = em.declarations() + list(em.vars.values())
    lines = [f"def {fn_name}():", "    ctx = Context()"]
    lines += ["    " + line for line in decls]
    for chunk in body:
        lines += ["    " + line for line in chunk.split("\n")]
    return "\n".join(lines) + "\n"


def query_checks_source(program: core.Program, fn_name: str, timeout_ms: int, rlimit: int) -> str:
    """A function `fn_name()` returning {query name: (status, seconds)}: ONE raw z3 solve per query.

    The solve is the tool's main question only (tracked axioms + goal, negated for
    claims; `within N` adds the cardinality bound): construction + check + model or
    core, timed from the declarations on. This is the floor the tool is compared to.
    """
    checker = _Checker(program, CheckOptions(), failing)
    em = Emitter(program)
    body = ["import time as _time", "out = {}", "_t0 = _time.perf_counter()"]
    # declarations are made once per program, their time shared out below
    axioms = [(name, em.term(f)) for name, f in checker.axioms]
    for query in program.queries:
        goal = checker.peel(query, Fresh(checker.query_uids))
        formula = em.term(goal.expanded)
        for w in goal.witnesses:
            formula = formula.replace(f"F[{w.name!r}]()", f"F[{w.name!r}]")
        claim = query.kind is core.QueryKind.CLAIM
        body.append("_t = _time.perf_counter()")
        for w in goal.witnesses:
            body.append(f"F[{w.name!r}] = Const({w.name!r}, {em.sort(w.result)})")
        body.append("s = Solver(ctx=ctx)")
        body.append(f"s.set('timeout', {timeout_ms}); s.set('rlimit', {rlimit}); s.set('random_seed', 0)")
        for name, src in axioms:
            body.append(f"s.assert_and_track({src}, Bool({'@track:' + name!r}, ctx))")
        body.append(f"s.add({'Not(' + formula + ')' if claim else formula})")
        if query.within is not None:
            body.append("for _n, _z in S.items():")
            body.append("    if _z.kind() == Z3_UNINTERPRETED_SORT:")
            body.append("        _x = Const('x@' + _n, _z)")
            body.append(f"        s.add(ForAll([_x], Or(*[_x == Const(f'{{_n}}@{{i}}', _z) "
                        f"for i in range(1, {max(1, query.within)} + 1)])))")
        body.append("r = s.check()")
        body.append("if r == sat: str(s.model())")
        body.append("elif r == unsat: s.unsat_core()")
        body.append(f"out[{query.name!r}] = (str(r), _time.perf_counter() - _t)")
        body.append("del s")
    body.append("return out")
    decls = em.declarations() + list(em.vars.values())
    lines = [f"def {fn_name}():", "    ctx = Context()"]
    lines += ["    " + line for line in decls + body]
    return "\n".join(lines) + "\n"
