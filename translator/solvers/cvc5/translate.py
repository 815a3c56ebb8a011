"""Stage 5, cvc5: expanded core terms to cvc5 terms, over one program's sorts and symbols.

It takes the cvc5 module (imported by `solvers.cvc5.load`), a `TermManager`,
a program and a query's witness constants, and hands on cvc5 terms: the
translation runs on the walker, without going through z3 or a printer; the
names the tool invents are minted by `logic.names`, as for z3. Bounds are
made here too: the cover axiom (every element is one of N named constants)
and cvc5's own cardinality constraint.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ...logic import core, names
from ...logic.walk import UnknownNode, Visit, Visitor


class Untranslatable(Exception):
    """A core term with no cvc5 translation (ill-typed, or naming what is not declared)."""


_COMPARE = {"<": "LT", "<=": "LEQ", ">": "GT", ">=": "GEQ"}


class Translator(Visitor[Any]):
    """Core terms to cvc5 terms over one program's sorts and symbols (and witness constants)."""

    unknown_hint = "must be expanded first"

    def __init__(self, cvc5: Any, tm: Any, program: core.Program, witnesses: Sequence[core.Symbol]):
        self.kind = cvc5.Kind
        self.tm = tm
        self.sorts: dict[core.Sort, Any] = {}
        self.elements: dict[str, Any] = {}
        self.symbols: dict[core.Symbol, Any] = {}
        self.vars: dict[tuple[str, int, core.Sort], Any] = {}
        for sort in program.sorts:
            self._declare_sort(sort)
        for symbol in (*program.symbols, *witnesses):
            if symbol.kind is not core.SymbolKind.ELEMENT:
                self.symbols[symbol] = self._declare(symbol)

    def _declare_sort(self, sort: core.Sort) -> None:
        tm = self.tm
        if sort.is_bool:
            self.sorts[sort] = tm.getBooleanSort()
        elif sort.builtin:
            self.sorts[sort] = tm.getIntegerSort() if sort.name == "Int" else tm.getRealSort()
        elif sort.elements is not None:
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

    def sort(self, sort: core.Sort) -> Any:
        if sort not in self.sorts:
            if not sort.builtin:
                raise Untranslatable(f"undeclared sort {sort.name}")
            self._declare_sort(sort)
        return self.sorts[sort]

    def _declare(self, symbol: core.Symbol) -> Any:
        result = self.sort(symbol.result)
        if not symbol.args:
            return self.tm.mkConst(result, symbol.name)
        domain = [self.sort(s) for s in symbol.args]
        return self.tm.mkConst(self.tm.mkFunctionSort(domain, result), symbol.name)

    def at_most(self, sort: core.Sort, bound: int) -> Any:
        """Every element of `sort` is one of `bound` fresh constants (`names.element`)."""
        made = self.sort(sort)
        consts = [self.tm.mkConst(made, names.element(sort.name, i)) for i in range(1, max(1, bound) + 1)]
        x = self.tm.mkVar(made, names.cover_variable(sort.name))
        cases = [self.tm.mkTerm(self.kind.EQUAL, x, n) for n in consts]
        body = cases[0] if len(cases) == 1 else self.tm.mkTerm(self.kind.OR, *cases)
        return self.tm.mkTerm(self.kind.FORALL, self.tm.mkTerm(self.kind.VARIABLE_LIST, x), body)

    def cardinality(self, sort: core.Sort, bound: int) -> Any:
        """cvc5's own "`sort` has at most `bound` elements" (for its finite model finding)."""
        return self.tm.mkCardinalityConstraint(self.sort(sort), max(1, bound))

    def _op(self, kind: str, args: Sequence[core.Term]) -> Visit:
        made = []
        for arg in args:
            made.append((yield arg))
        return self.tm.mkTerm(getattr(self.kind, kind), *made)

    def _var(self, term: core.Var) -> Any:
        key = (term.name, term.uid, term.sort)
        if key not in self.vars:
            self.vars[key] = self.tm.mkVar(self.sort(term.sort), names.variable(term.name, term.uid))
        return self.vars[key]

    def visit_Var(self, term: core.Var, env: None) -> Any:
        return self._var(term)

    def visit_App(self, term: core.App, env: None) -> Visit:
        symbol = term.symbol
        if symbol.kind is core.SymbolKind.ELEMENT:
            if symbol.name not in self.elements:
                raise Untranslatable(f"unknown element {symbol.name}")
            return self.elements[symbol.name]
        if symbol not in self.symbols:
            raise Untranslatable(f"undeclared symbol {symbol.name}")
        if not term.args:
            return self.symbols[symbol]
        args = []
        for arg in term.args:
            args.append((yield arg))
        return self.tm.mkTerm(self.kind.APPLY_UF, self.symbols[symbol], *args)

    def visit_BoolLit(self, term: core.BoolLit, env: None) -> Any:
        return self.tm.mkBoolean(term.value)

    def visit_NumLit(self, term: core.NumLit, env: None) -> Any:
        return self._number(Fraction(term.value), term.sort)

    def _number(self, value: Fraction, sort: core.Sort) -> Any:
        if sort.name == "Int":
            if value.denominator != 1:
                raise Untranslatable(f"{value} is not an integer")
            return self.tm.mkInteger(str(value.numerator))  # as text: cvc5 takes no int beyond 64 bits
        return self.tm.mkReal(f"{value.numerator}/{value.denominator}")

    def visit_Not(self, term: core.Not, env: None) -> Visit:
        return (yield from self._op("NOT", [term.arg]))

    def visit_And(self, term: core.And, env: None) -> Visit:
        return (yield from self._nary("AND", term.args, True))

    def visit_Or(self, term: core.Or, env: None) -> Visit:
        return (yield from self._nary("OR", term.args, False))

    def _nary(self, kind: str, args: Sequence[core.Term], empty: bool) -> Visit:
        if not args:
            return self.tm.mkBoolean(empty)
        if len(args) == 1:
            return (yield args[0])
        return (yield from self._op(kind, args))

    def visit_Implies(self, term: core.Implies, env: None) -> Visit:
        return (yield from self._op("IMPLIES", [term.lhs, term.rhs]))

    def visit_Iff(self, term: core.Iff, env: None) -> Visit:
        return (yield from self._op("EQUAL", [term.lhs, term.rhs]))

    def visit_Eq(self, term: core.Eq, env: None) -> Visit:
        return (yield from self._op("EQUAL", [term.lhs, term.rhs]))

    def visit_Compare(self, term: core.Compare, env: None) -> Visit:
        return (yield from self._op(_COMPARE[term.op], [term.lhs, term.rhs]))

    def visit_Add(self, term: core.Add, env: None) -> Visit:
        if len(term.args) == 1:
            return (yield term.args[0])
        return (yield from self._op("ADD", term.args))

    def visit_Neg(self, term: core.Neg, env: None) -> Visit:
        return (yield from self._op("NEG", [term.arg]))

    def visit_Scale(self, term: core.Scale, env: None) -> Visit:
        coeff = self._number(Fraction(term.coeff), term.arg.sort)
        return self.tm.mkTerm(self.kind.MULT, coeff, (yield term.arg))

    def visit_Ite(self, term: core.Ite, env: None) -> Visit:
        return (yield from self._op("ITE", [term.cond, term.then, term.else_]))

    def visit_Quant(self, term: core.Quant, env: None) -> Visit:
        kind = self.kind.FORALL if term.kind is core.QuantKind.FORALL else self.kind.EXISTS
        bound = self.tm.mkTerm(self.kind.VARIABLE_LIST, *[self._var(v) for v in term.vars])
        return self.tm.mkTerm(kind, bound, (yield term.body))


# ---------------------------------------------------------------- abduction (`alignproof suggest`)

ABDUCT_RLIMIT = 20_000
"""cvc5's resource units for each abduct (`rlimit-per`): deterministic, unlike the wall clock.
Measured on Hubinger's third arrow without its axiom: three abducts in 0.9 s at 20,000 units;
at 200,000 a fourth after 3.4 s."""


@dataclass(frozen=True)
class Abducts:
    """cvc5's abducts, as core formulas over the program's symbols and the given constants, and why
    the search ended before `count` (a limit, no further abduct, an error), if it did."""

    formulas: tuple[core.Term, ...]
    reason: str = ""


def abducts(cvc5: Any, program: core.Program, assumptions: Sequence[core.Term], goal: core.Term,
            constants: Sequence[core.Symbol], count: int, timeout: float,
            rlimit: int = ABDUCT_RLIMIT) -> Abducts:
    """Up to `count` formulas A (cvc5's `getAbduct`, then `getAbductNext`) such that the
    `assumptions` and A are consistent and entail `goal`, in the words of `program` and the
    ground `constants` (a claim's witness constants). The formulas are expanded core terms;
    an answer that does not read back into the core is skipped. cvc5's word is not trusted:
    the caller checks each answer with the checker."""
    found: list[core.Term] = []
    try:
        tm = cvc5.TermManager()
        solver = cvc5.Solver(tm)
        for option, value in (("produce-abducts", "true"), ("verbosity", "-1"),
                              ("rlimit-per", str(rlimit)), ("tlimit-per", str(max(1, int(timeout * 1000))))):
            solver.setOption(option, value)
        solver.setLogic("ALL")
        translate = Translator(cvc5, tm, program, constants)
        for formula in assumptions:
            solver.assertFormula(translate.visit(formula))
        target = translate.visit(goal)
        reader = _Reader(cvc5, program, constants)
        answer = solver.getAbduct(target)
        while not answer.isNull():
            read = reader.read(answer)
            if read is not None:
                found.append(read)
            if len(found) >= count:
                return Abducts(tuple(found))
            answer = solver.getAbductNext()
    except (Untranslatable, UnknownNode) as error:
        return Abducts(tuple(found), f"cannot translate for cvc5: {error}")
    except RuntimeError as error:  # cvc5 says no further abduct (e.g. a limit was reached)
        return Abducts(tuple(found), f"cvc5: {str(error).strip() or type(error).__name__}")
    except Exception as error:  # noqa: BLE001 - cvc5 raises plain exceptions
        return Abducts(tuple(found), f"cvc5 error: {str(error).strip() or type(error).__name__}")
    return Abducts(tuple(found), "cvc5 found no further abduct within its limits")


class _Reader:
    """cvc5 terms back to core terms, bottom up with a stack of its own (no recursion)."""

    def __init__(self, cvc5: Any, program: core.Program, constants: Sequence[core.Symbol]):
        self.kind = cvc5.Kind
        self.symbols = {s.name: s for s in (*program.symbols, *constants)}
        self.sorts = {s.name: s for s in program.sorts}
        self.vars: dict[str, core.Var] = {}
        self.uids = 1 << 42  # apart from every uid of the program: an abduct's own bound variables

    def read(self, term: Any) -> core.Term | None:
        """The core term for `term`, or None if some part of it has no core reading."""
        done: dict[int, core.Term] = {}
        stack: list[tuple[Any, bool]] = [(term, False)]
        while stack:
            node, expanded = stack.pop()
            if node.getId() in done:
                continue
            children = [node[i] for i in range(node.getNumChildren())]
            if not expanded and children and node.getKind() != self.kind.APPLY_CONSTRUCTOR:
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(children))
                continue
            made = self._node(node, [done.get(c.getId()) for c in children])
            if made is None:
                return None
            done[node.getId()] = made
        return done.get(term.getId())

    def _node(self, node: Any, args: list[core.Term | None]) -> core.Term | None:
        kind = node.getKind()
        k = self.kind
        if kind == k.CONST_BOOLEAN:
            return core.BoolLit(node.getBooleanValue())
        if kind == k.CONST_INTEGER:
            return core.NumLit(Fraction(node.getIntegerValue()), core.INT)
        if kind == k.CONST_RATIONAL:
            return core.NumLit(Fraction(node.getRealValue()), core.REAL)
        if kind == k.APPLY_CONSTRUCTOR:
            return self._element(node)
        if kind in (k.CONSTANT, k.VARIABLE):
            return self._leaf(node, kind == k.VARIABLE)
        if kind == k.VARIABLE_LIST:  # only the quantifier above reads it: its variables, held in an And
            return core.And(tuple(a for a in args if a is not None))
        if any(a is None for a in args):
            return None
        parts: list[core.Term] = [a for a in args if a is not None]
        return self._compound(kind, node, parts)

    def _compound(self, kind: Any, node: Any, parts: list[core.Term]) -> core.Term | None:
        k = self.kind
        if kind == k.APPLY_UF:
            head = parts[0]
            if not isinstance(head, core.App) or head.args:
                return None
            return core.App(head.symbol, tuple(parts[1:]))
        simple: dict[Any, Callable[[list[core.Term]], core.Term]] = {
                  k.NOT: lambda p: core.Not(p[0]), k.AND: lambda p: core.And(tuple(p)),
                  k.OR: lambda p: core.Or(tuple(p)), k.IMPLIES: lambda p: _implies(p),
                  k.ITE: lambda p: core.Ite(p[0], p[1], p[2]), k.ADD: lambda p: core.Add(tuple(p)),
                  k.NEG: lambda p: core.Neg(p[0]),
                  k.SUB: lambda p: core.Add((p[0], *(core.Neg(x) for x in p[1:])))}
        if kind in simple:
            return simple[kind](parts)
        if kind == k.EQUAL:
            return _chain(parts, lambda a, b: core.Iff(a, b) if a.sort.is_bool else core.Eq(a, b))
        if kind == k.DISTINCT and len(parts) == 2:
            return core.Not(core.Eq(parts[0], parts[1]))
        compare = {k.LT: "<", k.LEQ: "<=", k.GT: ">", k.GEQ: ">="}
        if kind in compare and len(parts) == 2:
            return core.Compare(compare[kind], parts[0], parts[1])
        if kind == k.MULT and len(parts) == 2:
            return _scale(parts)
        if kind in (k.FORALL, k.EXISTS) and isinstance(parts[0], core.And):
            quant = core.QuantKind.FORALL if kind == k.FORALL else core.QuantKind.EXISTS
            vars = tuple(v for v in parts[0].args if isinstance(v, core.Var))
            return core.Quant(quant, vars, parts[1]) if len(vars) == len(parts[0].args) else None
        return None

    def _leaf(self, node: Any, variable: bool) -> core.Term | None:
        name = node.getSymbol() if node.hasSymbol() else ""
        if variable:
            sort = self._sort(node.getSort())
            if sort is None:
                return None
            if name not in self.vars:
                self.uids += 1
                self.vars[name] = core.Var(name.partition("!")[0] or "x", sort, self.uids)
            return self.vars[name]
        symbol = self.symbols.get(name)
        return core.App(symbol) if symbol is not None else None

    def _element(self, node: Any) -> core.Term | None:
        constructor = node[0] if node.getNumChildren() else node
        symbol = self.symbols.get(constructor.getSymbol() if constructor.hasSymbol() else str(constructor))
        return core.App(symbol) if symbol is not None and symbol.kind is core.SymbolKind.ELEMENT else None

    def _sort(self, sort: Any) -> core.Sort | None:
        if sort.isBoolean():
            return core.BOOL
        if sort.isInteger():
            return core.INT
        if sort.isReal():
            return core.REAL
        return self.sorts.get(sort.getSymbol() if sort.hasSymbol() else str(sort))


def _implies(parts: list[core.Term]) -> core.Term:
    term = parts[-1]
    for part in reversed(parts[:-1]):
        term = core.Implies(part, term)
    return term


def _chain(parts: list[core.Term], pair: Any) -> core.Term:
    links = [pair(a, b) for a, b in zip(parts, parts[1:])]
    return links[0] if len(links) == 1 else core.And(tuple(links))


def _scale(parts: list[core.Term]) -> core.Term | None:
    left, right = parts
    if isinstance(left, core.NumLit):
        return core.Scale(left.value, right)
    if isinstance(right, core.NumLit):
        return core.Scale(right.value, left)
    return None
