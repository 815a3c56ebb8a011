"""Stage 2, readings: the typed program re-read under each `reading` (LANGUAGE.md §6.2).

The type checker checks a reading's parts where the reading stands (names
declared before it) and hands them here as a `Checked`. `variant` builds the
reading's own core `Program`: every use of a replaced definition, in other
definitions, axioms, lemmas and queries, means the replacement (definitions
are rebuilt in dependency order, each once); dropped axioms are gone; the
reading's axioms and lemmas stand at the reading's place in declaration order
(`Key`), so a lemma of the reading serves what follows the reading. A query's
expectation is the one its `expect V in R` pins, else its own. A replacement
that makes definitions reach themselves again is a `recursive-def` error
naming the chain. Nothing here recurses on a term's depth (`walk.Mapper`).
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..logic import core
from ..logic.walk import Mapper, Visit
from . import diagnostics as codes
from .diagnostics import Diagnostic
from .source import Span

Key = tuple[int, int]
"""Where a statement stands: (declaration index in the program, index inside a reading + 1; 0 outside)."""


@dataclass(frozen=True)
class Keys:
    """The place of every axiom, lemma and query of the program as written."""

    axioms: Mapping[str, Key]
    lemmas: Mapping[str, Key]
    queries: Mapping[str, Key]


@dataclass
class Checked:
    """One reading as the type checker found it."""

    info: core.Reading
    key: Key
    replacements: dict[str, core.Definition] = field(default_factory=dict)
    spans: dict[str, Span | None] = field(default_factory=dict)  # where each replacement is written
    drops: set[str] = field(default_factory=set)
    axioms: list[tuple[Key, core.Axiom]] = field(default_factory=list)
    lemmas: list[tuple[Key, core.Query]] = field(default_factory=list)
    in_root: bool = False


def variant(base: core.Program, keys: Keys, reading: Checked) -> tuple[core.Program | None, list[Diagnostic]]:
    """The program under `reading`, or None and the recursion a replacement made."""
    order, problem = _order(base.definitions, reading)
    if problem is not None:
        return None, [problem]
    defs: dict[str, core.Definition] = {}
    reread = _Reread(defs)
    for name, source in order:
        defs[name] = replace(source, body=reread.visit(source.body))
    axioms = [(keys.axioms[a.name], replace(a, formula=reread.visit(a.formula)))
              for a in base.axioms if a.name not in reading.drops]
    axioms += [(k, replace(a, formula=reread.visit(a.formula))) for k, a in reading.axioms]
    lemmas = [(keys.lemmas[q.name], _query(q, reread, reading.info.name)) for q in base.lemmas]
    lemmas += [(k, _query(q, reread, reading.info.name)) for k, q in reading.lemmas]
    lemmas.sort(key=lambda pair: pair[0])
    queries = [(keys.queries[q.name], _query(q, reread, reading.info.name))
               for q in base.queries if q.kind is not core.QueryKind.LEMMA]
    queries += [pair for pair in lemmas if _is_root_lemma(pair[1], base, reading)]
    queries.sort(key=lambda pair: pair[0])
    return replace(
        base, definitions=tuple(defs.get(d.name, d) for d in base.definitions),
        axioms=tuple(a for _, a in sorted(axioms, key=lambda pair: pair[0])),
        lemmas=tuple(_visible(q, k, lemmas) for k, q in lemmas),
        queries=tuple(_visible(q, k, lemmas) for k, q in queries),
        reading=reading.info.name, variants=()), []


def _is_root_lemma(lemma: core.Query, base: core.Program, reading: Checked) -> bool:
    """Whether a lemma of this program is reported with the root's queries: the root's own, and
    the reading's when the reading is declared in the root file."""
    if any(q.name == lemma.name for q in base.queries):
        return True
    return reading.in_root and any(q.name == lemma.name for _, q in reading.lemmas)


_DEFAULT_EXPECT = {core.QueryKind.CLAIM: "proved", core.QueryKind.LEMMA: "proved", core.QueryKind.EXAMPLE: "witness"}
_BASE = "base"


def _query(query: core.Query, reread: _Reread, reading: str) -> core.Query:
    """The query in `reading`: its pinned verdict there, else its own expectation (the default when
    that expectation was pinned to base alone, `expect V in base`)."""
    pins = dict(query.pins)
    default = _DEFAULT_EXPECT[query.kind] if _BASE in pins else query.expect
    return replace(query, formula=reread.visit(query.formula), expect=pins.get(reading, default))


def _visible(query: core.Query, key: Key, lemmas: Sequence[tuple[Key, core.Query]]) -> core.Query:
    """`query` with the lemmas that stand before it in this reading."""
    return replace(query, lemmas=tuple(q.name for k, q in lemmas if k < key and q.name != query.name))


class _Reread(Mapper):
    """A term with every definition call pointing at this reading's version of the definition."""

    def __init__(self, defs: Mapping[str, core.Definition]):
        self.defs = defs

    def key(self, term: core.Term, env: object) -> Hashable | None:
        return id(term)

    def visit_DefCall(self, term: core.DefCall, env: object) -> Visit:
        args = []
        for arg in term.args:
            args.append((yield arg))
        return core.DefCall(self.defs.get(term.defn.name, term.defn), tuple(args), term.span)


# ---------------------------------------------------------------- the definitions to rebuild

def calls(term: core.Term) -> list[str]:
    """The definitions a term calls directly, first call first."""
    found: dict[str, None] = {}
    for node in core.walk(term):
        if isinstance(node, core.DefCall):
            found.setdefault(node.defn.name)
    return list(found)


def _order(definitions: Sequence[core.Definition], reading: Checked
           ) -> tuple[list[tuple[str, core.Definition]], Diagnostic | None]:
    """The definitions to rebuild (the replaced ones and every one that reaches one), each after
    those it calls, with the definition each is rebuilt from; or the cycle a replacement made."""
    sources = {d.name: reading.replacements.get(d.name, d) for d in definitions}
    deps = {name: [n for n in calls(d.body) if n in sources] for name, d in sources.items()}
    users: dict[str, list[str]] = {name: [] for name in sources}
    for name, called in deps.items():
        for callee in called:
            users[callee].append(name)
    touched = set(reading.replacements)
    todo = list(reading.replacements)
    while todo:
        for user in users[todo.pop()]:
            if user not in touched:
                touched.add(user)
                todo.append(user)
    waiting = {name: sum(1 for n in deps[name] if n in touched) for name in touched}
    ready = [d.name for d in definitions if d.name in touched and waiting[d.name] == 0]
    order: list[tuple[str, core.Definition]] = []
    while ready:
        name = ready.pop(0)
        order.append((name, sources[name]))
        for user in users[name]:
            if user in waiting:
                waiting[user] -= 1
                if waiting[user] == 0:
                    ready.append(user)
    if len(order) < len(touched):
        left = {name for name in touched if name not in {n for n, _ in order}}
        return [], _recursion(_cycle(left, deps, reading), reading)
    return order, None


def _cycle(left: set[str], deps: Mapping[str, Sequence[str]], reading: Checked) -> list[str]:
    """A cycle among the definitions left unordered, starting at a replaced one."""
    start = next((name for name in reading.replacements if name in left), next(iter(sorted(left))))
    path, seen = [start], {start: 0}
    while True:
        node = next(n for n in deps[path[-1]] if n in left)
        if node in seen:
            return path[seen[node]:] + [node]
        seen[node] = len(path)
        path.append(node)


def _recursion(cycle: list[str], reading: Checked) -> Diagnostic:
    first = next((name for name in cycle if name in reading.replacements), cycle[0])
    at = cycle.index(first)
    chain = cycle[at:-1] + cycle[:at] + [first]
    return Diagnostic(codes.RECURSIVE_DEF,
                      f"in reading '{reading.info.name}', definition '{first}' is recursive: {' -> '.join(chain)}",
                      reading.spans.get(first),
                      help="a replacement is unfolded like any def, so it cannot reach itself; "
                           "write out the body it needs instead of naming it")
