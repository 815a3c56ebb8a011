"""A brute-force oracle for the checker: every small interpretation of a core program, enumerated.

For a program whose sorts are uninterpreted, finite (`sort D = {a, b}`) or
Bool, it tries every size of every uninterpreted sort from 1 to k and every
interpretation of every constant, function, predicate and bridge, and says
which conjunctions of formulas (a `Problem`: the axioms and a negated claim,
or the axioms and an example, ...) have a model of that size.

It shares no code with the solver back end or with `translator/logic/evaluate.py`:
each formula is compiled here into a Python expression over one flat tuple
holding every table entry of the interpretation (`I[offset + index]`),
definitions become Python functions, quantifiers `all`/`any` over `range`.
So it is a second, independent judge of models as well: `holds` evaluates a
formula in a plain `model.Model` (a model the checker reported, say).

It declines (raises `Unsupported`) what it cannot enumerate: Int and Real
values, arithmetic, and the numeric built-ins (`agree`, `agree_on`,
`maximizes`). `count` says how many interpretations a bound costs before
any is tried, so a caller can keep the search within a budget.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from math import prod

from translator.logic import core
from translator.logic.core import QuantKind, SymbolKind
from translator.logic.model import Model, Table

TABLE_KINDS = (SymbolKind.CONST, SymbolKind.FUN, SymbolKind.PRED, SymbolKind.BRIDGE)


class Unsupported(Exception):
    """The program uses something the enumerator does not interpret (numbers, numeric built-ins)."""


@dataclass(frozen=True)
class Problem:
    """A question for the enumerator: do these formulas (closed, a conjunction) have a model?"""

    name: str
    formulas: tuple[core.Term, ...]


@dataclass(frozen=True)
class Found:
    """A model of a problem: the size of each uninterpreted sort, and the model itself."""

    sizes: Mapping[str, int]
    model: Model

    @property
    def largest(self) -> int:
        """The size of its largest uninterpreted sort (0 when there is none)."""
        return max(self.sizes.values(), default=0)


class Enumerator:
    """All interpretations of one program's vocabulary, for sort sizes up to a bound."""

    def __init__(self, program: core.Program):
        self.program = program
        self.sorts = tuple(s for s in program.sorts if not s.builtin)
        self.free = tuple(s for s in self.sorts if s.is_uninterpreted)
        self.symbols = tuple(s for s in program.symbols if s.kind in TABLE_KINDS)
        for symbol in self.symbols:
            for sort in (*symbol.args, symbol.result):
                if sort.is_numeric:
                    raise Unsupported(f"{symbol.name} has a numeric type")
        self._definitions = {d: i for i, d in enumerate(program.definitions)}

    # ------------------------------------------------ counting

    def size_vectors(self, k: int, scope: core.Scope | None = None) -> list[dict[str, int]]:
        """Every choice of sizes 1..k for the uninterpreted sorts (each at most its size in `scope`
        too, when given), smallest largest sort first."""
        highest = [min(k, scope.size(s.name) or k) if scope is not None else k for s in self.free]
        choices = product(*(range(1, n + 1) for n in highest))
        ordered = sorted(choices, key=lambda sizes: (max(sizes, default=0), sum(sizes), sizes))
        return [dict(zip((s.name for s in self.free), sizes)) for sizes in ordered]

    def _domain_size(self, sort: core.Sort, sizes: Mapping[str, int]) -> int:
        if sort.is_bool:
            return 2
        if sort.is_finite:
            return len(sort.elements)
        return sizes[sort.name]

    def _slots(self, sizes: Mapping[str, int]) -> list[int]:
        """How many values each table entry can take, entry by entry, symbol by symbol."""
        slots = []
        for symbol in self.symbols:
            entries = prod(self._domain_size(s, sizes) for s in symbol.args)
            slots += [self._domain_size(symbol.result, sizes)] * entries
        return slots

    def count(self, k: int) -> int:
        """How many interpretations `search(..., k)` may try: all sizes 1..k together."""
        return sum(prod(self._slots(sizes)) for sizes in self.size_vectors(k))

    def largest_bound(self, budget: int, most: int = 3) -> int:
        """The largest k <= most whose search costs at most `budget` interpretations (0 if none)."""
        return next((k for k in range(most, 0, -1) if self.count(k) <= budget), 0)

    # ------------------------------------------------ searching

    def search(self, problems: Sequence[Problem], k: int, scope: core.Scope | None = None) -> dict[str, Found | None]:
        """For each problem, a model with every uninterpreted sort of at most k elements (and at
        most its size in `scope`, when given), or None.

        Sizes are tried smallest largest sort first, so a model found has the
        smallest largest sort of any model of that problem.
        """
        found: dict[str, Found | None] = {p.name: None for p in problems}
        for sizes in self.size_vectors(k, scope):
            open_ = [p for p in problems if found[p.name] is None]
            if not open_:
                break
            layout = _Layout(self, sizes)
            tests = [(p, layout.function(p.formulas)) for p in open_]
            for interpretation in product(*layout.slot_domains()):
                for problem, test in list(tests):
                    if test(interpretation):
                        found[problem.name] = Found(dict(sizes), layout.model(interpretation))
                        tests.remove((problem, test))
                if not tests:
                    break
        return found

    # ------------------------------------------------ judging a given model

    def holds(self, formula: core.Term, model: Model) -> bool:
        """Whether a closed formula is true in `model` (a model of this program's vocabulary).

        Raises ValueError when the model is not a total interpretation: a sort
        without elements, a finite sort with other elements, a table entry
        missing or outside its sort.
        """
        sizes, interpretation, layout = self.from_model(model)
        return bool(layout.function((formula,))(interpretation))

    def from_model(self, model: Model) -> tuple[dict[str, int], tuple, _Layout]:
        """A plain model as sizes and one flat interpretation tuple, for the compiled formulas."""
        sizes = {}
        index: dict[str, dict[str, int]] = {}
        for sort in self.sorts:
            elements = model.universe(sort.name)
            if not elements:
                raise ValueError(f"the model has no elements of {sort.name}")
            if sort.is_finite and tuple(elements) != sort.elements:
                raise ValueError(f"the model gives {sort.name} the elements {elements}")
            if sort.is_uninterpreted:
                sizes[sort.name] = len(elements)
            index[sort.name] = {e: i for i, e in enumerate(elements)}
        layout = _Layout(self, sizes)
        values = []
        for symbol in self.symbols:
            table = model.tables.get(symbol.name)
            if table is None:
                raise ValueError(f"the model has no table for {symbol.name}")
            for args in layout.arg_tuples(symbol):
                names = tuple(layout.name_of(s, a) for s, a in zip(symbol.args, args))
                value = table.lookup(names)
                values.append(self._internal(symbol, names, value, index))
        return sizes, tuple(values), layout

    def _internal(self, symbol: core.Symbol, names: tuple, value, index) -> object:
        """A model's value as the enumerator's: a bool, or an element's position in its sort."""
        result = symbol.result
        if result.is_bool:
            if not isinstance(value, bool):
                raise ValueError(f"{symbol.name}{names} is {value!r}, not a Bool")
            return value
        if not isinstance(value, str) or value not in index[result.name]:
            raise ValueError(f"{symbol.name}{names} is {value!r}, not an element of {result.name}")
        return index[result.name][value]


class _Layout:
    """One choice of sort sizes: where each table entry sits in the flat tuple, and the compiler."""

    def __init__(self, enumerator: Enumerator, sizes: Mapping[str, int]):
        self.enumerator = enumerator
        self.sizes = dict(sizes)
        self.offsets: dict[core.Symbol, int] = {}
        offset = 0
        for symbol in enumerator.symbols:
            self.offsets[symbol] = offset
            offset += prod(self.size(s) for s in symbol.args)
        self.length = offset

    def size(self, sort: core.Sort) -> int:
        return self.enumerator._domain_size(sort, self.sizes)

    def domain(self, sort: core.Sort) -> tuple:
        """The values of `sort` as the compiled code sees them."""
        if sort.is_bool:
            return (False, True)
        if sort.is_numeric:
            raise Unsupported(f"a variable of type {sort.name}")
        return tuple(range(self.size(sort)))

    def slot_domains(self) -> list[tuple]:
        return [self.domain(symbol.result) for symbol in self.enumerator.symbols
                for _ in range(prod(self.size(s) for s in symbol.args))]

    def arg_tuples(self, symbol: core.Symbol) -> Iterable[tuple]:
        """The argument tuples of a table, in the order of its entries."""
        return product(*(self.domain(s) for s in symbol.args))

    def name_of(self, sort: core.Sort, value) -> object:
        """An internal value as a model value: bools stay, elements get their names."""
        if sort.is_bool:
            return value
        if sort.is_finite:
            return sort.elements[value]
        return f"{sort.name}#{value}"

    def model(self, interpretation: tuple) -> Model:
        """The interpretation as a plain `Model`, the checker's own format."""
        universes = {s.name: tuple(self.name_of(s, i) for i in range(self.size(s)))
                     for s in self.enumerator.sorts}
        tables = {}
        for symbol in self.enumerator.symbols:
            start = self.offsets[symbol]
            rows = tuple((tuple(self.name_of(s, a) for s, a in zip(symbol.args, args)),
                          self.name_of(symbol.result, interpretation[start + i]))
                         for i, args in enumerate(self.arg_tuples(symbol)))
            tables[symbol.name] = Table(rows)
        return Model(universes=universes, tables=tables)

    # ------------------------------------------------ the compiler

    def function(self, formulas: Sequence[core.Term]):
        """A Python function of one interpretation: whether all `formulas` are true in it."""
        compiler = _Compiler(self)
        body = " and ".join(f"({compiler.term(f)})" for f in formulas) or "True"
        lines = [*compiler.definitions(), f"def test(I):\n    return {body}\n"]
        namespace: dict = {}
        exec(compile("\n".join(lines), "<bruteforce>", "exec"), namespace)
        return namespace["test"]


class _Compiler:
    """Core terms to Python expression text over `I` (the interpretation) and `v<uid>` variables."""

    def __init__(self, layout: _Layout):
        self.layout = layout
        self.used: dict[core.Definition, None] = {}

    def definitions(self) -> list[str]:
        """The Python functions of the definitions used so far (and those they use)."""
        done: dict[core.Definition, str] = {}
        while len(done) < len(self.used):
            for defn in list(self.used):
                if defn not in done:
                    params = "".join(f", v{p.uid}" for p in defn.params)
                    done[defn] = f"def {self.name(defn)}(I{params}):\n    return {self.term(defn.body)}\n"
        return list(done.values())

    def name(self, defn: core.Definition) -> str:
        return f"def_{self.layout.enumerator._definitions[defn]}"

    def term(self, term: core.Term) -> str:
        method = getattr(self, "_" + type(term).__name__, None)
        if method is None:
            raise Unsupported(f"{type(term).__name__} terms")
        return method(term)

    def _Var(self, term: core.Var) -> str:
        return f"v{term.uid}"

    def _BoolLit(self, term: core.BoolLit) -> str:
        return "True" if term.value else "False"

    def _App(self, term: core.App) -> str:
        symbol = term.symbol
        if symbol.kind is SymbolKind.ELEMENT:
            return str(symbol.result.elements.index(symbol.name))
        if symbol not in self.layout.offsets:
            raise Unsupported(f"symbol {symbol.name} of kind {symbol.kind.value}")
        index = "0"
        for sort, arg in zip(symbol.args, term.args):  # Horner: ((a0 * n1) + a1) * n2 + a2 ...
            index = f"({index}) * {self.layout.size(sort)} + ({self._as_int(sort, arg)})"
        return f"I[{self.layout.offsets[symbol]} + {index}]"

    def _as_int(self, sort: core.Sort, term: core.Term) -> str:
        code = self.term(term)
        return f"int({code})" if sort.is_bool else code

    def _Not(self, term: core.Not) -> str:
        return f"not ({self.term(term.arg)})"

    def _And(self, term: core.And) -> str:
        return " and ".join(f"({self.term(a)})" for a in term.args) or "True"

    def _Or(self, term: core.Or) -> str:
        return " or ".join(f"({self.term(a)})" for a in term.args) or "False"

    def _Implies(self, term: core.Implies) -> str:
        return f"(not ({self.term(term.lhs)})) or ({self.term(term.rhs)})"

    def _Iff(self, term: core.Iff) -> str:
        return f"({self.term(term.lhs)}) == ({self.term(term.rhs)})"

    def _Eq(self, term: core.Eq) -> str:
        if term.lhs.sort.is_numeric:
            raise Unsupported("numeric equality")
        return f"({self.term(term.lhs)}) == ({self.term(term.rhs)})"

    def _Ite(self, term: core.Ite) -> str:
        return f"({self.term(term.then)}) if ({self.term(term.cond)}) else ({self.term(term.else_)})"

    def _Quant(self, term: core.Quant) -> str:
        loops = " ".join(f"for v{v.uid} in {self.layout.domain(v.sort)!r}" for v in term.vars)
        test = "all" if term.kind is QuantKind.FORALL else "any"
        return f"{test}(({self.term(term.body)}) {loops})"

    def _DefCall(self, term: core.DefCall) -> str:
        self.used.setdefault(term.defn)
        args = "".join(f", ({self.term(a)})" for a in term.args)
        return f"{self.name(term.defn)}(I{args})"

    def _BuiltinCall(self, term: core.BuiltinCall) -> str:
        if term.name not in ("injective", "surjective"):
            raise Unsupported(f"the built-in {term.name}")
        (bridge,) = term.symbols
        (arg,), result = bridge.args, bridge.result
        xs, ys = self.layout.domain(arg), self.layout.domain(result)
        at = f"I[{self.layout.offsets[bridge]} + int({{}})]"
        if term.name == "injective":
            return (f"all(({at.format('x')}) != ({at.format('y')}) or x == y "
                    f"for x in {xs!r} for y in {xs!r})")
        return f"all(any(({at.format('x')}) == s for x in {xs!r}) for s in {ys!r})"
