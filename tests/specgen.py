"""A hypothesis strategy for random well-typed `.align` specs, small enough to enumerate.

`specs()` draws a vocabulary (one or two uninterpreted sorts, sometimes a
finite sort, a few constants, predicates, functions and a bridge), a few
`def`s (formulas and terms, with and without parameters, calling earlier
ones), axioms, claims (some `within N`, some `expect counterexample`) and
examples (some `within N`, some `expect none`). Formulas use every connective,
both quantifiers (shadowing a name now and then), equality, `if-then-else`
on formulas and terms, Bool-typed arguments and variables, and `injective`/
`surjective` of the bridge; ASCII or Unicode spelling. No Int or Real: the
brute-force oracle (tests/bruteforce.py) enumerates every interpretation, so
`max_space` caps the interpretations of the vocabulary with two elements per
uninterpreted sort.

Every spec is meant to pass the type checker; the tests assert that it does.
`renaming` and `renamed` give a spec hostile names (other names of the spec,
SMT-LIB and TPTP words, the spellings the exports write), keeping it well
typed and meaning the same.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from math import prod

from hypothesis import strategies as st

VAR_NAMES = ("x", "y", "z", "u", "w")

ASCII = {"forall": "forall", "exists": "exists", "not": "not", "and": "and", "or": "or",
         "->": "->", "<->": "<->", "!=": "!=", "Bool": "Bool"}
UNICODE = {"forall": "∀", "exists": "∃", "not": "¬", "and": "∧", "or": "∨",
           "->": "→", "<->": "↔", "!=": "≠", "Bool": "𝔹"}


@dataclass
class Signature:
    """The vocabulary drawn so far: sort name -> elements (None: uninterpreted), symbols, defs."""

    sorts: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    consts: list[tuple[str, str]] = field(default_factory=list)                  # name, sort
    funs: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)   # preds: result Bool
    bridges: list[tuple[str, str, str]] = field(default_factory=list)
    defs: list[tuple[str, tuple[tuple[str, str], ...], str]] = field(default_factory=list)

    def size(self, sort: str, k: int) -> int:
        if sort == "Bool":
            return 2
        elements = self.sorts[sort]
        return k if elements is None else len(elements)

    def space(self, k: int = 2) -> int:
        """Interpretations of the vocabulary when every uninterpreted sort has k elements."""
        tables = [((), s) for _, s in self.consts] + [(a, r) for _, a, r in self.funs] + \
                 [((a,), r) for _, a, r in self.bridges]
        return prod(self.size(r, k) ** prod(self.size(a, k) for a in args) for args, r in tables)


class _Writer:
    """Draws one spec, declaration by declaration, as text."""

    def __init__(self, draw, max_space: int):
        self.draw = draw
        self.max_space = max_space
        self.sig = Signature()
        self.words = ASCII
        self.lines: list[str] = []

    # ------------------------------------------------ small draws

    def pick(self, options):
        return self.draw(st.sampled_from(list(options)))

    def chance(self, percent: int) -> bool:
        return self.draw(st.integers(0, 99)) < percent

    def count(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    # ------------------------------------------------ the vocabulary

    def vocabulary(self) -> None:
        if self.chance(30):
            self.words = UNICODE
        self.sig.sorts["S"] = None
        self.lines.append("sort S")
        if self.chance(40):
            self.sig.sorts["T"] = None
            self.lines.append("sort T")
        if self.chance(25):
            elements = tuple(f"e{i}" for i in range(self.count(1, 3)))
            self.sig.sorts["D"] = elements
            self.lines.append(f"sort D = {{{', '.join(elements)}}}")
        for i in range(self.count(0, 3)):
            self._add(self.sig.consts, (f"c{i}", self._sort(bool_percent=15)), self._const_line)
        for i in range(self.count(0, 3)):
            args = tuple(self._sort(bool_percent=10) for _ in range(self.count(0, 2)))
            self._add(self.sig.funs, (f"p{i}", args, "Bool"), self._pred_line)
        for i in range(self.count(0, 2)):
            args = tuple(self._sort(bool_percent=10) for _ in range(self.count(1, 2)))
            self._add(self.sig.funs, (f"f{i}", args, self._sort(bool_percent=10)), self._fun_line)
        domains = list(self.sig.sorts)
        if len(domains) > 1 and self.chance(30):
            a, r = self.pick(domains), self.pick(domains)
            self._add(self.sig.bridges, ("b0", a, r), lambda b: f"bridge {b[0]}: {b[1]} -> {b[2]}")

    def _sort(self, bool_percent: int) -> str:
        if self.chance(bool_percent):
            return "Bool"
        return self.pick(self.sig.sorts)

    def _add(self, where: list, item, line) -> None:
        """Declare `item` unless it would make the vocabulary too large to enumerate."""
        where.append(item)
        if self.sig.space(2) > self.max_space:
            where.pop()
        else:
            self.lines.append(line(item))

    def _type(self, sort: str) -> str:
        return self.words["Bool"] if sort == "Bool" else sort

    def _const_line(self, c) -> str:
        return f"const {c[0]}: {self._type(c[1])}"

    def _pred_line(self, p) -> str:
        if not p[1]:
            return f"pred {p[0]}"
        return f"pred {p[0]}: {', '.join(map(self._type, p[1]))}"

    def _fun_line(self, f) -> str:
        return f"fun {f[0]}: {', '.join(map(self._type, f[1]))} -> {self._type(f[2])}"

    # ------------------------------------------------ definitions and top-level declarations

    def definitions(self) -> None:
        for i in range(self.count(0, 3)):
            params = tuple((VAR_NAMES[j], self._sort(bool_percent=10)) for j in range(self.count(0, 2)))
            env = dict(params)
            result = "Bool"
            if self.chance(25):
                result = self.pick(self.sig.sorts)
                if not self.producible(result, 2, env):
                    result = "Bool"
            if result != "Bool":
                body = self.term(result, 2, env)
            elif self.chance(30):
                body = self.top_formula(self.pick([self.words["forall"], self.words["exists"]]), env)
            else:
                body = self.formula(2, env)
            binders = f"({self.binders(params)})" if params else ""
            self.lines.append(f"def df{i}{binders} := {body}")
            self.sig.defs.append((f"df{i}", params, result))

    def declarations(self) -> None:
        for i in range(self.count(0, 2)):
            self.lines.append(f"axiom ax{i}: {self.top_formula(self.words['forall'])}")
        for i in range(self.count(1, 3)):
            options = ""
            if self.chance(30):
                options += f" within {self.count(1, 3)}"
            if self.chance(30):
                options += " expect counterexample"
            self.lines.append(f"claim cl{i}: {self.top_formula(self.words['forall'])}{options}")
        for i in range(self.count(0, 2)):
            options = ""
            if self.chance(20):
                options += f" within {self.count(1, 2)}"
            if self.chance(20):
                options += " expect none"
            self.lines.append(f"example ex{i}: {self.top_formula(self.words['exists'])}{options}")

    def top_formula(self, quantifier: str, env=None) -> str:
        """Often `Q vars. H -> C` (outer variables become witnesses; H is judged for vacuity),
        now and then a definition without arguments (the checker looks through it)."""
        env = env or {}
        closed = [d for d, params, result in self.sig.defs if not params and result == "Bool"]
        if not env and closed and self.chance(15):
            return self.pick(closed)
        if not self.chance(60):
            return self.formula(3, env)
        binders = self.fresh_binders(env)
        env = {**env, **dict(binders)}
        body = self.formula(2, env)
        if self.chance(60):
            body = f"({body}) {self.words['->']} ({self.formula(2, env)})"
        return f"{quantifier} {self.binders(binders)}. {body}"

    # ------------------------------------------------ formulas and terms

    def binders(self, binders) -> str:
        """`x: S, y: T`, and now and then `x, y: S` for consecutive variables of one sort."""
        parts = []
        for i, (name, sort) in enumerate(binders):
            grouped = i + 1 < len(binders) and binders[i + 1][1] == sort and self.chance(50)
            parts.append(name if grouped else f"{name}: {self._type(sort)}")
        return ", ".join(parts)

    def fresh_binders(self, env) -> tuple[tuple[str, str], ...]:
        names = [n for n in VAR_NAMES if n not in env]
        if not names or self.chance(10):
            names = list(VAR_NAMES)            # shadow a variable in scope
        chosen = []
        for _ in range(self.count(1, 2)):
            name = self.pick([n for n in names if n not in {c for c, _ in chosen}] or ["v"])
            chosen.append((name, self._sort(bool_percent=8)))
        return tuple(chosen)

    def producible(self, sort: str, depth: int, env) -> bool:
        """Whether a term of `sort` can be written with at most `depth` nested applications."""
        if sort == "Bool" or self.leaves(sort, env):
            return True
        return depth > 0 and any(all(self.producible(a, depth - 1, env) for a in args)
                                 for _, args, result in self.calls() if result == sort)

    def calls(self):
        """Everything applied to arguments: functions, predicates, definitions (with arguments)."""
        return [*((n, a, r) for n, a, r in self.sig.funs),
                *((n, (a,), r) for n, a, r in self.sig.bridges),
                *((n, tuple(s for _, s in p), r) for n, p, r in self.sig.defs)]

    def leaves(self, sort: str, env) -> list[str]:
        found = [n for n, s in env.items() if s == sort]
        found += [n for n, s in self.sig.consts if s == sort]
        elements = self.sig.sorts.get(sort)
        return found + list(elements or ())

    def apply(self, name: str, args: tuple[str, ...], depth: int, env) -> str:
        if not args:
            return name
        return f"{name}({', '.join(self.term(a, depth - 1, env) for a in args)})"

    def term(self, sort: str, depth: int, env) -> str:
        """A term of `sort` with at most `depth` nested applications (a Bool one is an atom)."""
        if sort == "Bool":
            return self.atom(depth, env) if depth > 0 else self.pick(self.bool_leaves(env))
        options = [("leaf", v) for v in self.leaves(sort, env)]
        if depth > 0:
            options += [("call", c) for c in self.calls()
                        if c[2] == sort and all(self.producible(a, depth - 1, env) for a in c[1])]
            options += [("ite", None)] if self.leaves(sort, env) else []
        kind, value = self.pick(options)
        if kind == "leaf":
            return value
        if kind == "call":
            return self.apply(value[0], value[1], depth, env)
        return (f"(if {self.atom(depth, env)} then {self.term(sort, depth - 1, env)} "
                f"else {self.term(sort, depth - 1, env)})")

    def bool_leaves(self, env) -> list[str]:
        return ["true", "false", *(n for n, s in env.items() if s == "Bool"),
                *(n for n, s in self.sig.consts if s == "Bool")]

    def atom(self, depth: int, env) -> str:
        """A predicate (or Bool function, or definition) applied, an equation, a built-in, or a
        Boolean leaf; its arguments have at most `depth - 1` nested applications."""
        options = list(self.bool_leaves(env))
        options += [("call", c) for c in self.calls() if c[2] == "Bool" and
                    all(self.producible(a, depth - 1, env) for a in c[1])] * 3
        options += [("eq", s) for s in self.sig.sorts if self.producible(s, depth - 1, env)] * 3
        options += [("builtin", b[0]) for b in self.sig.bridges]
        options += [("eq", "Bool")] if depth > 1 else []
        choice = self.pick(options)
        if isinstance(choice, str):
            return choice
        kind, value = choice
        if kind == "call":
            return self.apply(value[0], value[1], depth, env)
        if kind == "builtin":
            return f"{self.pick(['injective', 'surjective'])}({value})"
        op = self.pick(["=", self.words["!="]])
        if value == "Bool":
            return f"({self.atom(depth - 1, env)}) {op} ({self.atom(depth - 1, env)})"
        return f"{self.term(value, depth - 1, env)} {op} {self.term(value, depth - 1, env)}"

    def formula(self, depth: int, env) -> str:
        kinds = ["atom"]
        if depth > 0:
            kinds += ["not", "and", "or", "->", "<->", "forall", "exists", "ite", "atom"]
        kind = self.pick(kinds)
        if kind == "atom":
            return self.atom(2, env)
        if kind == "not":
            return f"{self.words['not']} ({self.formula(depth - 1, env)})"
        if kind in ("and", "or", "->", "<->"):
            return f"({self.formula(depth - 1, env)}) {self.words[kind]} ({self.formula(depth - 1, env)})"
        if kind == "ite":
            parts = [self.formula(depth - 1, env) for _ in range(3)]
            return f"(if {parts[0]} then {parts[1]} else {parts[2]})"
        binders = self.fresh_binders(env)
        inner = {**env, **dict(binders)}
        return f"({self.words[kind]} {self.binders(binders)}. {self.formula(depth - 1, inner)})"


@st.composite
def specs(draw, max_space: int = 4096) -> str:
    """The text of a random well-typed spec whose vocabulary has at most `max_space`
    interpretations with two elements per uninterpreted sort."""
    writer = _Writer(draw, max_space)
    writer.vocabulary()
    writer.definitions()
    writer.declarations()
    return "\n".join(writer.lines) + "\n"


# ---------------------------------------------------------------- hostile renamings of a spec's names

KEYWORDS = set("""sort const fun pred bridge def axiom claim example import expect within forall exists not
and or if then else true false via Bool Int Real agree agree_on maximizes injective surjective
proved counterexample witness none""".split())

HOSTILE = ["String", "Array", "Set", "Seq", "abs", "select", "store", "distinct", "ite", "div", "mod", "exp",
           "fp", "is_int", "to_real", "bvadd", "u_bvadd", "let", "match", "par", "as", "char", "RNE", "NaN",
           "String_2", "x_prime", "p_prime", "bool", "S_type", "S_within", "S_closed", "X1", "x1", "_", "x_u0040",
           "p'", "c''", "S'", "k", "e", "pi", "Tuple", "is", "Table", "assert", "push"]
"""SMT-LIB words, TPTP spellings the export writes (`x_prime`, `S_type`, ...), names the SMT-LIB
export respells to (`String_2`, `u_bvadd`), and names with primes."""

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


def kinds(text: str) -> tuple[set[str], set[str], set[str], set[str]]:
    """The sorts, other global names (symbols, definitions, elements), labels and bound names of a spec."""
    sorts = set(re.findall(r"^sort (\w+)", text, re.M))
    elements = {e.strip() for group in re.findall(r"\{([^}]*)\}", text) for e in group.split(",")}
    symbols = set(re.findall(r"^(?:const|fun|pred|bridge|def) (\w+)", text, re.M)) | elements
    labels = set(re.findall(r"^(?:axiom|claim|example) (\w+)", text, re.M))
    words = {w for w in _WORD.findall(text) if w not in KEYWORDS}
    return sorts, symbols, labels, words - sorts - symbols - labels


def renaming(text: str, seed: int) -> dict[str, str]:
    """Globals to each other's names and hostile ones (one namespace, so a permutation); bound
    variables to sort names (first, for even seeds) and hostile names no global takes; labels to
    any of those, each once."""
    rng = random.Random(seed)
    sorts, symbols, labels, variables = kinds(text)
    globals_ = sorted(sorts | symbols)
    pool = globals_ + HOSTILE
    rng.shuffle(pool)
    mapping = dict(zip(globals_, pool))
    taken = set(mapping.values())
    free = [n for n in HOSTILE if n not in taken] + [f"v{i}" for i in range(10)]
    own = [mapping[s] for s in sorted(sorts)]
    rng.shuffle(own)
    rng.shuffle(free)
    targets = own + free if seed % 2 == 0 else free + own  # even seeds: the sorts' names first
    mapping.update(zip(sorted(variables), targets))  # each once: one binder may bind several
    names = pool[:]  # labels: a namespace of their own, so any names, each once
    rng.shuffle(names)
    mapping.update(zip(sorted(labels), names + [f"q{i}" for i in range(len(labels))]))
    return mapping


def renamed(text: str, mapping: dict[str, str]) -> str:
    return _WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
