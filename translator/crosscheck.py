"""Stage 6, asked twice (`--cross-check`): every answer of the checker put to cvc5 and compared.

After the checker has answered a program, this module asks cvc5 the question
each verdict rests on, from the same expanded core formulas the checker gives
z3 (`checker.query_formulas`), translated here to cvc5 terms without going
through z3 or its printer:

- `proved` and `none` rest on `unsat` of the axioms with the negated claim
  (or the example); `bounded` on `unsat` within the claim's bound;
- `counterexample` and `witness` on `sat`, asked within the `within` bound if
  there is one, else within the size of the reported model (a smaller and
  equivalent question: the model z3 gave, re-checked by the evaluator, has
  that size, so `sat` holds within it exactly when z3 is right);
- the axioms' inconsistency, once per program, on `unsat` of the axioms alone.

cvc5 runs with its own proof checking (`unsat`) and model checking (`sat`)
switched on, and with finite model finding for the uninterpreted sorts.
One solver saying `sat` where the other says `unsat` is a disagreement: the
result is not ok, and the message shows both answers. cvc5 giving up is not
a failure, only a note. The module imports cvc5 only when asked, so the rest
of the tool works without it.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Collection, Sequence

from . import diagnostics
from .checker import CheckOptions, ProgramOutcome, query_formulas
from .core import (
    Add, And, App, BoolLit, Compare, Eq, Iff, Implies, Ite, Neg, Not, NumLit, Or, Program,
    Quant, QuantKind, Query, QueryKind, Scale, Sort, Symbol, SymbolKind, Term, Var,
)
from .diagnostics import Diagnostic
from .expand import Fresh, expand
from .results import CrossCheck, Result, Verdict

INSTALL_HINT = "pip install 'alignproof[cross-check]'"
"""How to get the second solver: the `cross-check` extra pulls in the PyPI package `cvc5`."""

SOLVER = "cvc5"


class Unavailable(Exception):
    """cvc5 cannot be imported: `--cross-check` is then an input error with the install hint."""


def load() -> Any:
    """The cvc5 module, imported now; raises `Unavailable` with the reason if it is not installed."""
    try:
        return importlib.import_module("cvc5")
    except ImportError as error:
        raise Unavailable(f"--cross-check needs the cvc5 package, which cannot be imported ({error})") from None


def solver_name(cvc5: Any) -> str:
    """'cvc5 1.4.2': the package's version as installed."""
    try:
        from importlib.metadata import version
        return f"{SOLVER} {version('cvc5')}"
    except Exception:  # noqa: BLE001 - a missing distribution record only costs the version
        return SOLVER


# ---------------------------------------------------------------- the checker, wrapped

class CrossChecker:
    """A pipeline checker: `inner` answers each program, then cvc5 answers every question again.

    Disagreements about a query make its result not ok; a disagreement about
    the axioms themselves is a diagnostic in `self.diagnostics`.
    """

    def __init__(self, inner, cvc5: Any | None = None):
        self.inner = inner
        self.cvc5 = cvc5 if cvc5 is not None else load()
        self.name = solver_name(self.cvc5)
        self.diagnostics: list[Diagnostic] = []

    def prepare(self, programs: Sequence[Program], options: CheckOptions,
                names: Collection[str] | None = None) -> None:
        if hasattr(self.inner, "prepare"):
            self.inner.prepare(programs, options, names)

    def __call__(self, program: Program, options: CheckOptions = CheckOptions(),
                 names: Collection[str] | None = None) -> ProgramOutcome:
        outcome = self.inner(program, options, names)
        ask = _Asker(self.cvc5, program, options.timeout)
        diag = self._axioms(program, outcome, ask)
        if diag is not None:
            self.diagnostics.append(diag)
        if outcome.inconsistency is not None:  # every result is unknown because of the axioms
            return outcome
        queries = {q.name: q for q in program.queries}
        results = tuple(self.compare(r, queries[r.name], program, ask) for r in outcome.results)
        return replace(outcome, results=results)

    def compare(self, result: Result, query: Query, program: Program, ask: "_Asker") -> Result:
        """`result` with cvc5's answer to the question its verdict rests on, and not ok if they differ."""
        expected, bound = _question(result, query)
        formulas, witnesses = query_formulas(program, query)
        answer = ask(formulas, witnesses, bound)
        check = CrossCheck(solver=self.name, verdict=result.verdict.value, expected=expected,
                           answer=answer.status, bound=bound, reason=answer.reason)
        return replace(result, cross_check=check, ok=result.ok and check.agrees is not False)

    def _axioms(self, program: Program, outcome: ProgramOutcome, ask: "_Asker") -> Diagnostic | None:
        """The axioms asked alone: a diagnostic when cvc5 contradicts what the checker found."""
        if not program.axioms:
            return None
        fresh = Fresh(program.next_uid)
        answer = ask([expand(a.formula, fresh) for a in program.axioms], (), None)
        if outcome.inconsistency is not None and answer.status == "sat":
            message = (f"z3 says the axioms are inconsistent (unsat) but {self.name} "
                       "says they have a model (sat)")
        elif outcome.inconsistency is None and answer.status == "unsat":
            message = (f"z3 found no conflict among the axioms but {self.name} "
                       "says they are inconsistent (unsat)")
        else:
            return None
        return Diagnostic(diagnostics.SOLVER_DISAGREEMENT, message, program.axioms[0].span,
                          help="the two solvers contradict each other, so neither answer can be "
                               "trusted; write the queries out with --export DIR and report it")


def _question(result: Result, query: Query) -> tuple[str | None, int | None]:
    """z3's answer ('sat', 'unsat', or None if it gave none) and the bound it was asked within."""
    verdict = result.verdict
    if verdict in (Verdict.PROVED, Verdict.NONE):
        return "unsat", None
    if verdict is Verdict.BOUNDED:
        return "unsat", query.within
    if verdict in (Verdict.COUNTEREXAMPLE, Verdict.WITNESS):
        return "sat", query.within or _model_size(result)
    return None, query.within


def _model_size(result: Result) -> int | None:
    """The most elements of one sort in the reported model, or None without a model."""
    if result.model is None:
        return None
    sizes = [len(u) for u in result.model.universes.values()]
    return max(sizes, default=1) or 1


# ---------------------------------------------------------------- one cvc5 question

@dataclass(frozen=True)
class Answer:
    """cvc5's answer: 'sat', 'unsat' or 'unknown' (with why)."""

    status: str
    reason: str = ""


class _Asker:
    """Puts questions about one program to cvc5, each in a fresh solver."""

    def __init__(self, cvc5: Any, program: Program, timeout: float):
        self.cvc5 = cvc5
        self.program = program
        self.timeout_ms = max(1, int(timeout * 1000))

    def __call__(self, formulas: Sequence[Term], witnesses: Sequence[Symbol],
                 bound: int | None) -> Answer:
        """Whether `formulas` have a common model (with every uninterpreted sort within `bound`)."""
        try:
            return self._ask(formulas, witnesses, bound)
        except _Untranslatable as error:
            return Answer("unknown", f"cannot translate for cvc5: {error}")
        except RecursionError:
            return Answer("unknown", "the formula is nested too deeply for cvc5")
        except Exception as error:  # noqa: BLE001 - cvc5 raises plain exceptions, e.g. a failed proof check
            return Answer("unknown", f"cvc5 error: {str(error).strip() or type(error).__name__}")

    def _ask(self, formulas, witnesses, bound) -> Answer:
        cvc5 = self.cvc5
        tm = cvc5.TermManager()
        solver = cvc5.Solver(tm)
        for option, value in self._options():
            solver.setOption(option, value)
        solver.setLogic("ALL")
        translate = _Translator(cvc5, tm, self.program, witnesses)
        for formula in formulas:
            solver.assertFormula(translate(formula))
        if bound is not None:
            for sort in self.program.sorts:
                if sort.is_uninterpreted:
                    solver.assertFormula(translate.at_most(sort, bound))
        result = solver.checkSat()
        if result.isUnsat():
            return Answer("unsat")
        if result.isSat():
            return Answer("sat")
        return Answer("unknown", _why(result, self.timeout_ms))

    def _options(self) -> list[tuple[str, str]]:
        return [("produce-models", "true"), ("check-models", "true"),
                ("produce-proofs", "true"), ("check-proofs", "true"),
                ("finite-model-find", "true"), ("tlimit-per", str(self.timeout_ms)),
                ("seed", "0")]


def _why(result: Any, timeout_ms: int) -> str:
    explanation = str(result.getUnknownExplanation()).rsplit(".", 1)[-1].lower()
    if explanation == "timeout":
        return f"cvc5: timeout after {timeout_ms / 1000:g}s"
    return f"cvc5: {explanation.replace('_', ' ') or 'unknown'}"


# ---------------------------------------------------------------- core terms to cvc5

class _Untranslatable(Exception):
    """A core term with no cvc5 translation (not expanded, or ill-typed)."""


_COMPARE = {"<": "LT", "<=": "LEQ", ">": "GT", ">=": "GEQ"}


class _Translator:
    """Core terms to cvc5 terms over one program's sorts and symbols (and witness constants)."""

    def __init__(self, cvc5: Any, tm: Any, program: Program, witnesses: Sequence[Symbol]):
        self.kind = cvc5.Kind
        self.tm = tm
        self.sorts: dict[Sort, Any] = {}
        self.elements: dict[str, Any] = {}
        self.symbols: dict[Symbol, Any] = {}
        self.vars: dict[tuple[str, int, Sort], Any] = {}
        for sort in program.sorts:
            self._declare_sort(sort)
        for symbol in (*program.symbols, *witnesses):
            if symbol.kind is not SymbolKind.ELEMENT:
                self.symbols[symbol] = self._declare(symbol)

    def _declare_sort(self, sort: Sort) -> None:
        tm = self.tm
        if sort.is_bool:
            self.sorts[sort] = tm.getBooleanSort()
        elif sort.builtin:
            self.sorts[sort] = tm.getIntegerSort() if sort.name == "Int" else tm.getRealSort()
        elif sort.is_finite:
            decl = tm.mkDatatypeDecl(sort.name)
            for element in sort.elements:
                decl.addConstructor(tm.mkDatatypeConstructorDecl(element))
            made = tm.mkDatatypeSort(decl)
            datatype = made.getDatatype()
            for element in sort.elements:
                self.elements[element] = tm.mkTerm(self.kind.APPLY_CONSTRUCTOR, datatype[element].getTerm())
            self.sorts[sort] = made
        else:
            self.sorts[sort] = tm.mkUninterpretedSort(sort.name)

    def sort(self, sort: Sort) -> Any:
        if sort not in self.sorts:
            if not sort.builtin:
                raise _Untranslatable(f"undeclared sort {sort.name}")
            self._declare_sort(sort)
        return self.sorts[sort]

    def _declare(self, symbol: Symbol) -> Any:
        result = self.sort(symbol.result)
        if not symbol.args:
            return self.tm.mkConst(result, symbol.name)
        domain = [self.sort(s) for s in symbol.args]
        return self.tm.mkConst(self.tm.mkFunctionSort(domain, result), symbol.name)

    def at_most(self, sort: Sort, bound: int) -> Any:
        """Every element of `sort` is one of `bound` fresh constants."""
        made = self.sort(sort)
        names = [self.tm.mkConst(made, f"{sort.name}@{i}") for i in range(1, max(1, bound) + 1)]
        x = self.tm.mkVar(made, f"x@{sort.name}")
        cases = [self.tm.mkTerm(self.kind.EQUAL, x, n) for n in names]
        body = cases[0] if len(cases) == 1 else self.tm.mkTerm(self.kind.OR, *cases)
        return self.tm.mkTerm(self.kind.FORALL, self.tm.mkTerm(self.kind.VARIABLE_LIST, x), body)

    def __call__(self, term: Term) -> Any:
        method = getattr(self, "_" + type(term).__name__, None)
        if method is None:
            raise _Untranslatable(f"{type(term).__name__} must be expanded first")
        return method(term)

    def _op(self, kind: str, args: Sequence[Term]) -> Any:
        return self.tm.mkTerm(getattr(self.kind, kind), *[self(a) for a in args])

    def _Var(self, term: Var) -> Any:
        key = (term.name, term.uid, term.sort)
        if key not in self.vars:
            self.vars[key] = self.tm.mkVar(self.sort(term.sort), f"{term.name}!{term.uid}")
        return self.vars[key]

    def _App(self, term: App) -> Any:
        symbol = term.symbol
        if symbol.kind is SymbolKind.ELEMENT:
            if symbol.name not in self.elements:
                raise _Untranslatable(f"unknown element {symbol.name}")
            return self.elements[symbol.name]
        if symbol not in self.symbols:
            raise _Untranslatable(f"undeclared symbol {symbol.name}")
        if not term.args:
            return self.symbols[symbol]
        return self.tm.mkTerm(self.kind.APPLY_UF, self.symbols[symbol], *[self(a) for a in term.args])

    def _BoolLit(self, term: BoolLit) -> Any:
        return self.tm.mkBoolean(term.value)

    def _NumLit(self, term: NumLit) -> Any:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: Sort) -> Any:
        if sort.name == "Int":
            if value.denominator != 1:
                raise _Untranslatable(f"{value} is not an integer")
            return self.tm.mkInteger(value.numerator)
        return self.tm.mkReal(value.numerator, value.denominator)

    def _Not(self, term: Not) -> Any:
        return self._op("NOT", [term.arg])

    def _And(self, term: And) -> Any:
        return self._nary("AND", term.args, True)

    def _Or(self, term: Or) -> Any:
        return self._nary("OR", term.args, False)

    def _nary(self, kind: str, args: Sequence[Term], empty: bool) -> Any:
        if not args:
            return self.tm.mkBoolean(empty)
        return self(args[0]) if len(args) == 1 else self._op(kind, args)

    def _Implies(self, term: Implies) -> Any:
        return self._op("IMPLIES", [term.lhs, term.rhs])

    def _Iff(self, term: Iff) -> Any:
        return self._op("EQUAL", [term.lhs, term.rhs])

    def _Eq(self, term: Eq) -> Any:
        return self._op("EQUAL", [term.lhs, term.rhs])

    def _Compare(self, term: Compare) -> Any:
        return self._op(_COMPARE[term.op], [term.lhs, term.rhs])

    def _Add(self, term: Add) -> Any:
        return self(term.args[0]) if len(term.args) == 1 else self._op("ADD", term.args)

    def _Neg(self, term: Neg) -> Any:
        return self._op("NEG", [term.arg])

    def _Scale(self, term: Scale) -> Any:
        return self.tm.mkTerm(self.kind.MULT, self._number(Fraction(term.coeff), term.arg.sort), self(term.arg))

    def _Ite(self, term: Ite) -> Any:
        return self._op("ITE", [term.cond, term.then, term.else_])

    def _Quant(self, term: Quant) -> Any:
        kind = self.kind.FORALL if term.kind is QuantKind.FORALL else self.kind.EXISTS
        bound = self.tm.mkTerm(self.kind.VARIABLE_LIST, *[self._Var(v) for v in term.vars])
        return self.tm.mkTerm(kind, bound, self(term.body))
