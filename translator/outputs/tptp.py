"""TPTP export: one query of a core program as a TPTP problem (`check --export DIR` writes `NAME.p`).

A consumer of core programs, beside the SMT-LIB export of `solvers/z3/smtlib.py`, so that
first-order provers (E, Vampire, ...) can check a claim on their own. The
problem holds every axiom of the program, expanded (no definitions, no
built-ins), as an `axiom`, and:

- for a claim, the claim itself, expanded, with its outer quantifiers, as the
  `conjecture`: a prover's `Theorem` agrees with `proved`, `CounterSatisfiable`
  with `counterexample`;
- for an example, its formula as a `hypothesis` and no conjecture: the
  question "is there a model of the axioms and the example?", so
  `Satisfiable` agrees with `witness` and `Unsatisfiable` with `none`.

When the verdict is `bounded`, axioms saying "at most N elements" for every
uninterpreted sort are added, as in the SMT-LIB export, so `Theorem` is
expected. The header comment names the source, the query, the tool's verdict,
the axioms a proof used and the SZS status a prover should reach.

Dialect. A problem with a single sort and no arithmetic is FOF, the form every
first-order prover reads (and `tptp.py` reads back): its universe is that
sort. A problem with several sorts is TFF with declared types
(`tff(agent_type, type, agent: $tType)`), and so is one with `Int` or `Real`
anywhere (with `$int`, `$real`, `$sum`, `$less`, ...). Simply dropping the
sorts would not be sound in general (`forall x, y: A. x = y` says nothing
about a second sort). FOF is still available for several sorts on request
(`dialect="fof"`): each sort becomes a guard predicate, quantifiers are
relativised to it, every function gets a typing axiom and every sort a
non-emptiness axiom, which is exact (a theorem of the guarded problem if and
only if the claim holds in every many-sorted model). TFF is the default
because provers do better with real types: on the spec library, E 2.6 proves
every claim without arithmetic from the TFF form within 0.1 s, while six of
the guarded FOF forms run out of ten seconds.

Encodings. Predicates and Bool-valued functions are TPTP predicates; `=`
between formulas is `<=>`. A Bool-sorted argument or a quantified Bool
variable (TFF0 and FOF have no Boolean terms) uses a sort `bool` with the two
distinct elements `true` and `false`: the variable `b` as a formula is
`b = true`, and a formula in argument position becomes an if-then-else over
the two. If-then-else terms are lifted to the nearest atomic formula:
`A[if c then t else e]` becomes `(c => A[t]) & (~c => A[e])`. A finite sort's
elements get an axiom saying they are distinct and one saying there are no
others. Names that are not TPTP words are respelled deterministically (`Agent`
is `agent`, `x'` is `x_prime`, clashes get a number) and listed in the header
as `% original name:`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import combinations
from typing import Any

from ..check.results import Result, Verdict
from ..logic import core
from ..logic.expand import Fresh, expand
from ..logic.names import Namespace, tptp_word
from ..logic.walk import Mapper, UnknownNode, Visit, Visitor, same_term

MAX_LIFTS = 4096
"""If-then-else terms lifted per problem at most: each lift copies its atom, so nesting multiplies."""

BOOL_VALUES = core.Sort("bool", elements=("true", "false"))
"""The sort standing for Bool in argument positions (a user cannot declare it: `true` is a keyword)."""
TRUE = core.Symbol("true", (), BOOL_VALUES, core.SymbolKind.ELEMENT)
FALSE = core.Symbol("false", (), BOOL_VALUES, core.SymbolKind.ELEMENT)

_COMPARE = {"<": "$less", "<=": "$lesseq", ">": "$greater", ">=": "$greatereq"}
_NUMERIC = {"Int": "$int", "Real": "$real"}


class Untranslatable(ValueError):
    """The query uses something this export cannot write in TPTP."""


def tptp_problem(program: core.Program, query: core.Query, result: Result | None = None,
                 dialect: str = "auto") -> str:
    """The TPTP problem text of `query`, with the verdict of `result` in the header if given.

    `dialect`: "auto" (FOF for a single sort without arithmetic, else TFF), "tff", or "fof"
    (guard predicates for several sorts). Raises `Untranslatable` (a ValueError) for a query
    that cannot be written, e.g. arithmetic in FOF."""
    fresh = Fresh(program.next_uid)
    axioms = [(a.name, expand(a.formula, fresh), a.doc) for a in program.axioms]
    goal = expand(query.formula, fresh)
    formulas = [f for _, f, _ in axioms] + [goal]
    vocab = _Vocabulary.of(program, formulas)
    bound = query.within if result is not None and result.verdict is Verdict.BOUNDED else None
    if dialect not in ("auto", "fof", "tff"):
        raise ValueError(f"unknown TPTP dialect {dialect!r}")
    if dialect == "fof" and vocab.arithmetic:
        raise Untranslatable("cannot write arithmetic in TPTP FOF (TFF can)")
    typed = dialect == "tff" or (dialect == "auto" and (vocab.arithmetic or len(vocab.sorts) > 1))
    problem = _Problem(program, query, vocab, typed, fresh)
    for name, formula, doc in axioms:
        problem.add(name, "axiom", formula, doc)
    problem.background(bound)
    role = "conjecture" if query.kind is not core.QueryKind.EXAMPLE else "hypothesis"
    problem.add(query.name, role, goal, query.doc)
    return _header(program, query, result, problem, bound) + problem.text()


def tptp_question(program: core.Program, tracked: Sequence[tuple[str, core.Term]],
                  plain: Sequence[core.Term]) -> tuple[str, dict[str, str]]:
    """A solver's question as a TPTP problem for a prover (`solvers/eprover.py`): do the expanded
    formulas `tracked` (named) and `plain` have a common model? Each tracked formula is an axiom,
    each plain one a `negated_conjecture`, in FOF for one sort and TFF for several, as
    `tptp_problem` writes them; no header. Returns the text and the tracked name of each axiom's
    TPTP name. Raises `Untranslatable` for arithmetic (first-order provers without it are asked)."""
    vocab = _Vocabulary.of(program, [*(f for _, f in tracked), *plain])
    if vocab.arithmetic:
        raise Untranslatable("the question has arithmetic")
    problem = _Problem(program, None, vocab, len(vocab.sorts) > 1, Fresh(program.next_uid))
    problem.labels.assign([(("axiom", name), name, "") for name, _ in tracked])
    problem.labels.assign([(("query", ("goal", i)), "goal", "") for i in range(len(plain))])
    for name, formula in tracked:
        problem.add(name, "axiom", formula)
    problem.background(None)
    for i, formula in enumerate(plain):
        problem.add(("goal", i), "negated_conjecture", formula)
    return problem.text(), {problem.labels.spellings[("axiom", name)]: name for name, _ in tracked}


def expected_status(query: core.Query, result: Result) -> str | None:
    """The SZS status a prover should reach on the exported problem, or None if the verdict
    says nothing (unknown)."""
    if query.kind is not core.QueryKind.EXAMPLE:
        return {Verdict.PROVED: "Theorem", Verdict.BOUNDED: "Theorem",
                Verdict.COUNTEREXAMPLE: "CounterSatisfiable"}.get(result.verdict)
    return {Verdict.WITNESS: "Satisfiable", Verdict.NONE: "Unsatisfiable"}.get(result.verdict)


# ---------------------------------------------------------------- the vocabulary

@dataclass(frozen=True)
class _Vocabulary:
    """The sorts and symbols the formulas use (program order), and whether they need
    arithmetic or the `bool` sort."""

    sorts: tuple[core.Sort, ...]
    symbols: tuple[core.Symbol, ...]
    arithmetic: bool

    @staticmethod
    def of(program: core.Program, formulas: Sequence[core.Term]) -> _Vocabulary:
        symbols: dict[core.Symbol, None] = {}
        sorts: dict[core.Sort, None] = {}
        arithmetic = False
        for node in (n for f in formulas for n in core.walk(f)):
            if isinstance(node, core.App):
                symbols.setdefault(node.symbol)
                for sort in (*node.symbol.args, node.symbol.result):
                    sorts.setdefault(sort)
                if any(s.is_bool for s in node.symbol.args):
                    sorts.setdefault(BOOL_VALUES)
            elif isinstance(node, core.Quant):
                for var in node.vars:
                    sorts.setdefault(BOOL_VALUES if var.sort.is_bool else var.sort)
            elif isinstance(node, (core.NumLit, core.Compare, core.Add, core.Neg, core.Scale)):
                arithmetic = True
        arithmetic = arithmetic or any(s.is_numeric for s in sorts)
        declared = [s for s in (*program.sorts, BOOL_VALUES) if s in sorts]
        for sort in declared:
            if sort.is_finite:
                symbols.update((e, None) for e in _elements(program, sort))
        ordered = [s for s in (*program.symbols, TRUE, FALSE) if s in symbols]
        ordered += [s for s in symbols if s not in ordered]
        return _Vocabulary(tuple(declared), tuple(ordered), arithmetic)


def _elements(program: core.Program, sort: core.Sort) -> list[core.Symbol]:
    if sort == BOOL_VALUES:
        return [TRUE, FALSE]
    by_name = {s.name: s for s in program.symbols if s.kind is core.SymbolKind.ELEMENT and s.result == sort}
    return [by_name.get(e) or core.Symbol(e, (), sort, core.SymbolKind.ELEMENT) for e in sort.elements or ()]


# ---------------------------------------------------------------- the problem

@dataclass
class _Statement:
    name: str
    role: str
    text: str
    comment: str = ""


@dataclass
class _Problem:
    """The statements of one problem, in order, with the names and the dialect they share."""

    program: core.Program
    query: core.Query | None  # None for a solver's question (`tptp_question`)
    vocab: _Vocabulary
    typed: bool
    fresh: Fresh
    statements: list[_Statement] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.symbols = Namespace(tptp_word)  # every name of the program: the same spelling in each of its problems
        self.symbols.assign([(s, s.name, "sort") for s in self.program.sorts]
                            + [(s, s.name, s.kind.value) for s in self.program.symbols])
        self.symbols.assign([(BOOL_VALUES, "bool", ""), (TRUE, "true", ""), (FALSE, "false", "")]
                            + [(s, s.name, s.kind.value) for s in self.vocab.symbols])
        self.labels = Namespace(tptp_word)
        queries = [self.query] if self.query is not None else []
        self.labels.assign([(("axiom", a.name), a.name, "axiom") for a in self.program.axioms]
                           + [(("query", q.name), q.name, q.kind.value) for q in queries])
        self.guarded = not self.typed and len(self.vocab.sorts) > 1
        self.lifts = 0  # if-then-else terms lifted so far
        if self.typed:
            self._declarations()

    @property
    def dialect(self) -> str:
        return "tff" if self.typed else "fof"

    def describe(self) -> str:
        if self.typed:
            return "TFF (typed first-order" + (", with arithmetic)" if self.vocab.arithmetic else ")")
        if self.guarded:
            return "FOF (each sort a guard predicate)"
        return "FOF (a single sort)" if self.vocab.sorts else "FOF"

    def add(self, name: str | tuple[str, int], role: str, formula: core.Term, doc: str = "") -> None:
        label = self.labels.spellings[("axiom", name) if role == "axiom" else ("query", name)]
        text = _Printer(self).formula(formula)
        self.statements.append(_Statement(label, role, text, doc))

    def _fact(self, label: str, text: str) -> None:
        self.statements.append(_Statement(self.labels.name(("generated", label), label), "axiom", text))

    # ------------------------------------------------ background axioms

    def _declarations(self) -> None:
        for sort in self.vocab.sorts:
            if not sort.builtin:
                name = self.symbols.spellings[sort]
                self.statements.append(_Statement(self.labels.name(("type", sort), f"{name}_type"),
                                                  "type", f"{name}: $tType"))
        for symbol in self.vocab.symbols:
            name = self.symbols.spellings[symbol]
            args = [self.type_name(s) for s in symbol.args]
            result = "$o" if symbol.result.is_bool else self.type_name(symbol.result)
            domain = "" if not args else (args[0] if len(args) == 1 else f"({' * '.join(args)})") + " > "
            self.statements.append(_Statement(self.labels.name(("type", symbol), f"{name}_type"),
                                              "type", f"{name}: {domain}{result}"))

    def type_name(self, sort: core.Sort) -> str:
        if sort.is_bool:
            sort = BOOL_VALUES
        return _NUMERIC[sort.name] if sort.is_numeric else self.symbols.spellings[sort]

    def background(self, bound: core.Scope | None) -> None:
        """Guards (FOF with several sorts), finite sorts' elements, and the bound of a `bounded` verdict."""
        if self.guarded:
            for sort in self.vocab.sorts:
                name = self.symbols.spellings[sort]
                self._fact(f"{name}_nonempty", f"?[X]: {name}(X)")
            for symbol in self.vocab.symbols:
                if not symbol.result.is_bool:
                    self._fact(f"{self.symbols.spellings[symbol]}_sort", self._typing(symbol))
        for sort in self.vocab.sorts:
            if sort.is_finite:
                self._finite(sort)
        if bound is not None:
            for sort in self.vocab.sorts:
                size = bound.size(sort.name) if sort.is_uninterpreted else None
                if size is not None:
                    self._within(sort, size)

    def _typing(self, symbol: core.Symbol) -> str:
        result = self.symbols.spellings[symbol.result]
        name = self.symbols.spellings[symbol]
        if not symbol.args:
            return f"{result}({name})"
        names = [f"X{i}" for i in range(1, symbol.arity + 1)]
        guards = " & ".join(f"{self.type_name(s)}({x})" for s, x in zip(symbol.args, names))
        return f"![{', '.join(names)}]: (({guards}) => {result}({name}({', '.join(names)})))"

    def _finite(self, sort: core.Sort) -> None:
        elements = [core.App(e) for e in _elements(self.program, sort)]
        name = self.symbols.spellings[sort]
        pairs = [core.Not(core.Eq(a, b)) for a, b in combinations(elements, 2)]
        if pairs:
            self._fact(f"{name}_distinct", _Printer(self).formula(core.And(tuple(pairs))))
        x = core.Var("x", sort, self.fresh())
        closed = core.Quant(core.QuantKind.FORALL, (x,), core.Or(tuple(core.Eq(x, e) for e in elements)))
        self._fact(f"{name}_closed", _Printer(self).formula(closed))

    def _within(self, sort: core.Sort, bound: int) -> None:
        xs = tuple(core.Var(f"x{i}", sort, self.fresh()) for i in range(1, bound + 1))
        y = core.Var("y", sort, self.fresh())
        every = core.Quant(core.QuantKind.FORALL, (y,), core.Or(tuple(core.Eq(y, x) for x in xs)))
        self._fact(f"{self.symbols.spellings[sort]}_within", _Printer(self).formula(
            core.Quant(core.QuantKind.EXISTS, xs, every)))

    # ------------------------------------------------ output

    def text(self) -> str:
        lines = []
        for s in self.statements:
            lines += [f"% {line}".rstrip() for line in s.comment.splitlines()]
            lines.append(f"{self.dialect}({s.name}, {s.role},\n    {s.text}).")
        return "\n".join(lines) + "\n"


def _header(program: core.Program, query: core.Query, result: Result | None, problem: _Problem,
            bound: core.Scope | None) -> str:
    where = f"{query.file}:{query.span.line}" if query.span is not None else query.file
    what = ("the axioms and the claim as the conjecture" if query.kind is not core.QueryKind.EXAMPLE
            else "the axioms and the example as a hypothesis (no conjecture)")
    lines = [f"alignproof {query.kind.value} {query.name} ({where or program.root})",
             f"{what}, in {problem.describe()}"]
    if bound is not None and not bound.sizes and bound.default is not None:
        n = bound.default
        lines.append(f"every uninterpreted sort with at most {n} element{'s' if n != 1 else ''}"
                     f" (the claim says `within {n}`)")
    elif bound is not None:
        lines.append(f"the sorts bounded as the claim says: `within {bound}`")
    if result is not None:
        used = "" if result.used is None else f"; used: {', '.join(result.used) or 'nothing'}"
        reason = f" ({result.reason.splitlines()[0]})" if result.reason else ""
        lines.append(f"status: {result.verdict.value} (alignproof's verdict{used}){reason}")
        lines.append(f"expected SZS status: {expected_status(query, result) or 'none (no verdict)'}")
    shown: set[object] = {*problem.vocab.sorts, *problem.vocab.symbols}
    renamed = [r for key, r in problem.symbols.renamed.items() if key in shown]
    for original, kind, spelling in renamed + list(problem.labels.renamed.values()):
        lines.append(f"original name: {original} ({kind}) is {spelling}")
    return "".join(f"% {line}\n" for line in lines)


# ---------------------------------------------------------------- formulas

class _Printer(Visitor[str]):
    """Core formulas (expanded) as TPTP text, with the variable names of one statement.

    Every formula is printed as a TPTP unitary formula (atomic, negated, quantified or in
    parentheses), so it can stand as an operand anywhere without further parentheses.
    Variables are named in the order they are met, left to right."""

    unknown_hint = "cannot be written in TPTP (it must be expanded first)"

    def __init__(self, problem: _Problem):
        self.problem = problem
        self.names = problem.symbols.spellings
        self.vars = Namespace(lambda name: tptp_word(name, variable=True))
        self.terms = _Terms(self)

    def formula(self, term: core.Term) -> str:
        try:
            return self.visit(term)
        except UnknownNode as error:
            raise Untranslatable(f"cannot write {error.node} in TPTP (it must be expanded first)") from None

    # ------------------------------------------------ connectives

    def visit_BoolLit(self, term: core.BoolLit, env: None) -> str:
        return "$true" if term.value else "$false"

    def visit_Not(self, term: core.Not, env: None) -> Visit:
        return f"~ {(yield term.arg)}"

    def visit_And(self, term: core.And, env: None) -> Visit:
        return (yield from self._chain(term.args, "&", "$true"))

    def visit_Or(self, term: core.Or, env: None) -> Visit:
        return (yield from self._chain(term.args, "|", "$false"))

    def _chain(self, args: Sequence[core.Term], op: str, empty: str) -> Visit:
        if not args:
            return empty
        if len(args) == 1:
            return (yield args[0])
        parts = []
        for arg in args:
            parts.append((yield from self._operand(arg)))
        return "(" + f" {op} ".join(parts) + ")"

    def visit_Implies(self, term: core.Implies, env: None) -> Visit:
        lhs = yield from self._operand(term.lhs)
        return f"({lhs} => {(yield from self._operand(term.rhs))})"

    def visit_Iff(self, term: core.Iff, env: None) -> Visit:
        lhs = yield from self._operand(term.lhs)
        return f"({lhs} <=> {(yield from self._operand(term.rhs))})"

    def visit_Ite(self, term: core.Ite, env: None) -> Visit:  # a formula: both branches are Bool
        cond = yield from self._operand(term.cond)
        then = yield from self._operand(term.then)
        return f"(({cond} => {then}) & (~ {cond} => {(yield from self._operand(term.else_))}))"

    def _operand(self, term: core.Term) -> Visit:
        """A formula as the operand of a binary connective: a quantified or negated one in
        parentheses, so no reader can take the rest of the line for its body."""
        text = yield term
        return f"({text})" if text.startswith(("!", "?", "~")) else text

    def visit_Quant(self, term: core.Quant, env: None) -> Visit:
        if not term.vars:
            return (yield term.body)
        names = [self.vars.name(v.uid, v.name) for v in term.vars]
        body = yield from self._operand(term.body)
        forall = term.kind is core.QuantKind.FORALL
        if self.problem.typed:
            bound = ", ".join(f"{n}: {self.problem.type_name(v.sort)}" for n, v in zip(names, term.vars))
            return f"{'!' if forall else '?'}[{bound}]: {body}"
        if self.problem.guarded:
            guards = [f"{self.problem.type_name(v.sort)}({n})" for n, v in zip(names, term.vars)]
            guard = guards[0] if len(guards) == 1 else f"({' & '.join(guards)})"
            body = f"({guard} => {body})" if forall else f"({guard} & {body})"
        return f"{'!' if forall else '?'}[{', '.join(names)}]: {body}"

    # ------------------------------------------------ atoms

    def visit_Var(self, term: core.Var, env: None) -> str:  # a Bool variable as a formula
        return f"({self.terms.text(term)} = {self.names[TRUE]})"

    def visit_App(self, term: core.App, env: None) -> Visit:
        return (yield from self._atom(term))

    def visit_Eq(self, term: core.Eq, env: None) -> Visit:
        if term.lhs.sort.is_bool:
            lhs = yield from self._operand(term.lhs)
            return f"({lhs} <=> {(yield from self._operand(term.rhs))})"
        return (yield from self._atom(term))

    def visit_Compare(self, term: core.Compare, env: None) -> Visit:
        return (yield from self._atom(term))

    def _atom(self, atom: core.Term) -> Visit:
        """An atomic formula; if-then-else terms in it (Bool arguments among them) lifted: the
        atom with each branch in place of the first if-then-else is again an atom, printed so."""
        atom = _Boolify().visit(atom)
        ite = next((n for n in core.walk(atom) if isinstance(n, core.Ite) and n is not atom), None)
        if ite is None:
            return self._plain(atom)
        self.problem.lifts += 1
        if self.problem.lifts > MAX_LIFTS:
            raise Untranslatable(f"lifting if-then-else terms would copy formulas more than {MAX_LIFTS} times")
        cond = yield from self._operand(ite.cond)
        then = yield _put(atom, ite, ite.then)
        return f"(({cond} => {then}) & (~ {cond} => {(yield _put(atom, ite, ite.else_))}))"

    def _plain(self, atom: core.Term) -> str:
        term = self.terms.text
        if isinstance(atom, core.Eq):
            return f"({term(atom.lhs)} = {term(atom.rhs)})"
        if isinstance(atom, core.Compare):
            return f"{_COMPARE[atom.op]}({term(atom.lhs)}, {term(atom.rhs)})"
        return term(atom)


class _Terms(Visitor[str]):
    """Core terms (not formulas) as TPTP terms, with the variable names of the printer's statement."""

    unknown_hint = "cannot be written as a TPTP term"

    def __init__(self, printer: _Printer):
        self.printer = printer

    def text(self, term: core.Term) -> str:
        try:
            return self.visit(term)
        except UnknownNode as error:
            raise Untranslatable(f"cannot write the term {error.node} in TPTP") from None

    def visit_Var(self, term: core.Var, env: None) -> str:
        return self.printer.vars.name(term.uid, term.name)

    def visit_App(self, term: core.App, env: None) -> Visit:
        name = self.printer.names[term.symbol]
        if not term.args:
            return name
        args = []
        for arg in term.args:
            args.append((yield arg))
        return f"{name}({', '.join(args)})"

    def visit_NumLit(self, term: core.NumLit, env: None) -> str:
        return numeral(Fraction(term.value), term.sort)

    def visit_Add(self, term: core.Add, env: None) -> Visit:
        text = yield term.args[-1]
        for arg in reversed(term.args[:-1]):
            text = f"$sum({(yield arg)}, {text})"
        return text

    def visit_Neg(self, term: core.Neg, env: None) -> Visit:
        return f"$uminus({(yield term.arg)})"

    def visit_Scale(self, term: core.Scale, env: None) -> Visit:
        return f"$product({numeral(Fraction(term.coeff), term.arg.sort)}, {(yield term.arg)})"


def _unchanged(self: Visitor[core.Term], term: core.Term, env: None) -> core.Term:
    return term


class _Boolify(Mapper):
    """An atom with each Bool-sorted argument a term of the `bool` sort: literals become `true`
    and `false`, variables stay, any other formula `f` becomes `if f then true else false`."""

    @staticmethod
    def _argument(term: core.Term) -> core.Term | None:
        """A Bool argument as a `bool` term; None for an argument of another sort (boolified in turn)."""
        if not term.sort.is_bool:
            return None
        if isinstance(term, core.BoolLit):
            return core.App(TRUE if term.value else FALSE)
        if isinstance(term, core.Var):
            return term
        return core.Ite(term, core.App(TRUE), core.App(FALSE))

    def _arguments(self, term: core.Term, fields: Sequence[str]) -> Visit:
        changes: dict[str, Any] = {}
        for name in fields:
            value = getattr(term, name)
            items = value if isinstance(value, tuple) else (value,)
            done = []
            for item in items:
                as_bool = self._argument(item)
                done.append(as_bool if as_bool is not None else (yield item))
            changes[name] = tuple(done) if isinstance(value, tuple) else done[0]
        return replace(term, **changes)

    def visit_App(self, term: core.App, env: None) -> Visit:
        return (yield from self._arguments(term, ("args",)))

    def visit_Ite(self, term: core.Ite, env: None) -> Visit:
        return (yield from self._arguments(term, ("then", "else_")))

    def visit_Eq(self, term: core.Eq, env: None) -> Visit:
        return (yield from self._arguments(term, ("lhs", "rhs")))

    def visit_Compare(self, term: core.Compare, env: None) -> Visit:
        return (yield from self._arguments(term, ("lhs", "rhs")))

    def visit_Add(self, term: core.Add, env: None) -> Visit:
        return (yield from self._arguments(term, ("args",)))

    def visit_Neg(self, term: core.Neg, env: None) -> Visit:
        return (yield from self._arguments(term, ("arg",)))

    def visit_Scale(self, term: core.Scale, env: None) -> Visit:
        return (yield from self._arguments(term, ("arg",)))

    @classmethod
    def fallback(cls, node: type) -> Callable[..., Any] | None:
        return _unchanged  # any other node is left as it is


class _Put(Mapper):
    """A term with every occurrence of `old` (equal to it, not only the same object) replaced by `new`."""

    def __init__(self, old: core.Term, new: core.Term):
        self.old = old
        self.new = new

    def admit(self, term: core.Term, env: None) -> bool:
        return not same_term(term, self.old)

    def refused(self, term: core.Term, env: None) -> core.Term:
        return self.new


def _put(term: core.Term, old: core.Term, new: core.Term) -> core.Term:
    return _Put(old, new).visit(term)


def numeral(value: Fraction, sort: core.Sort) -> str:
    """A numeral of `$int` or `$real` (a `$quotient` when the decimal would not end)."""
    if sort == core.INT:
        if value.denominator != 1:
            raise Untranslatable(f"{value} is not an integer")
        return str(value.numerator)
    sign, value = ("-" if value < 0 else ""), abs(value)
    for places in range(0, 64):
        scaled = value * 10 ** places
        if scaled.denominator == 1:
            digits = str(scaled.numerator).rjust(places + 1, "0")
            whole, frac = (digits[:-places], digits[-places:]) if places else (digits, "0")
            return f"{sign}{whole}.{frac}"
    return f"$quotient({sign}{value.numerator}.0, {value.denominator}.0)"
