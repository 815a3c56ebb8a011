"""Stage 3: the one walker over core terms, which every pass that reads them is built on.

A pass (the solver translations, the printers, the evaluator, expansion, the
fingerprints' normal form) subclasses `Visitor` and writes one method per
kind of node, `visit_And`, `visit_Quant`, ... The dispatch table is built once,
when the class is made; a node with no method raises `UnknownNode`, the one
error for it.

No pass recurses in Python on the depth of its input: a method that needs
the values of sub-terms is a generator that yields each sub-term (or a pair
`(sub-term, environment)` to visit it in another environment, e.g. a
quantifier's body with its variables bound) and receives its value; one loop
drives the generators with a stack of its own. So a formula nested 100,000
deep is walked with the interpreter's default recursion limit and stack.
Written this way, a method decides the order in which its sub-terms are
visited (a solver's terms are created in that order, which its search may
depend on), visits only the ones it needs (the evaluator stops at the first
false conjunct) and does its own work between them.

A method that needs no sub-term values returns its value; one that needs
them only sometimes may return a generator then (the evaluator's fast path
for an application to variables). A pass may memoise by overriding `key`: the value of a term whose key
was seen before in the same walk is reused (sound only when the value
depends on nothing but the key: the z3 translation keys on the term's
identity, the printer on identity and precedence). `admit` lets a pass refuse
a node before it is visited (the evaluator's step budget).

It hands on nothing of its own: each pass returns what its methods compute.
`Mapper` is the base of the passes that rebuild terms (substitution,
renaming): every node without a method of its own is rebuilt from its
children's values, children visited left to right as `core.map_children`
would.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from dataclasses import replace
from types import GeneratorType
from typing import Any, ClassVar, Generic, TypeVar

from . import core

V = TypeVar("V")
"""What a pass computes for a term."""

Visit = Generator[Any, Any, Any]
"""The type of a visit method written as a generator: it yields sub-terms (or (sub-term, env)
pairs), receives their values, and returns its node's value."""

_MISSING = object()


class UnknownNode(TypeError):
    """A pass was handed a node it has no method for (not a core term, or one it does not read)."""

    def __init__(self, visitor: Visitor[Any], node: object):
        self.visitor = type(visitor).__name__
        self.node = type(node).__name__
        super().__init__(f"{self.node} {visitor.unknown_hint}")


class Visitor(Generic[V]):
    """One pass over core terms: `visit(term, env)` is its value (see the module's docstring)."""

    unknown_hint: ClassVar[str] = "is not a core term"
    """The end of `UnknownNode`'s message after the node's type, e.g. 'must be expanded first'."""

    _cases: ClassVar[dict[type, Callable[..., Any]]] = {}
    _keyed: ClassVar[bool] = False
    _admits: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cases: dict[type, Callable[..., Any]] = {}
        for node in core.TERM_TYPES:
            method = getattr(cls, f"visit_{node.__name__}", None) or cls.fallback(node)
            if method is not None:
                cases[node] = method
        cls._cases = cases
        cls._keyed = cls.key is not Visitor.key
        cls._admits = cls.admit is not Visitor.admit

    @classmethod
    def fallback(cls, node: type) -> Callable[..., Any] | None:
        """The method for a kind of node the class has no `visit_` method for (None: unknown)."""
        return None

    # ------------------------------------------------------------ hooks

    def key(self, term: core.Term, env: Any) -> Hashable | None:
        """The memo key of `term` visited in `env`, or None to visit it afresh (the default)."""
        return None

    def admit(self, term: core.Term, env: Any) -> bool:
        """Whether to visit `term` at all; when not, its value is `refused()`."""
        return True

    def refused(self, term: core.Term, env: Any) -> V:
        raise NotImplementedError

    # ------------------------------------------------------------ the loop

    def visit(self, term: core.Term, env: Any = None) -> V:
        """The value of `term` in `env`, walking its sub-terms with an explicit stack."""
        cases = self._cases
        memo: dict[Hashable, Any] | None = {} if self._keyed else None
        admits = self._admits
        stack: list[tuple[Visit, Any, Hashable | None]] = []
        node: Any = term
        node_env: Any = env
        asked = True  # `node` in `node_env` is to be visited; else `value` is to be handed on
        value: Any = None
        while True:
            if asked:
                asked = False
                key: Hashable | None = None
                if admits and not self.admit(node, node_env):
                    value = self.refused(node, node_env)
                elif memo is not None and (key := self.key(node, node_env)) is not None \
                        and (value := memo.get(key, _MISSING)) is not _MISSING:
                    pass
                else:
                    method = cases.get(type(node))
                    if method is None:
                        raise UnknownNode(self, node)
                    value = method(self, node, node_env)
                    if type(value) is GeneratorType:
                        visit: Visit = value
                        try:
                            request = next(visit)
                        except StopIteration as stop:
                            value = stop.value
                        else:
                            stack.append((visit, node_env, key))
                            if type(request) is tuple:
                                node, node_env = request
                            else:
                                node = request
                            asked = True
                            continue
                    if key is not None and memo is not None:
                        memo[key] = value
            while stack:  # hand `value` to the visit that asked for it
                visit, visit_env, visit_key = stack[-1]
                try:
                    request = visit.send(value)
                except StopIteration as stop:
                    stack.pop()
                    value = stop.value
                    if visit_key is not None and memo is not None:
                        memo[visit_key] = value
                    continue
                if type(request) is tuple:
                    node, node_env = request
                else:
                    node, node_env = request, visit_env
                asked = True
                break
            else:
                return value


def _same(self: Visitor[core.Term], term: core.Term, env: Any) -> core.Term:
    return term


def _rebuild(self: Visitor[core.Term], term: core.Term, env: Any) -> Visit:
    """`term` with each child replaced by its value, children left to right (as `core.map_children`)."""
    changes: dict[str, Any] = {}
    for name in core.child_fields(type(term)):
        value = getattr(term, name)
        if isinstance(value, tuple):
            items = []
            for item in value:
                items.append((yield item))
            changes[name] = tuple(items)
        else:
            changes[name] = yield value
    return replace(term, **changes)


class Mapper(Visitor[core.Term]):
    """A pass that rebuilds terms: nodes without a method are rebuilt from their children's values."""

    @classmethod
    def fallback(cls, node: type) -> Callable[..., Any] | None:
        return _rebuild if core.child_fields(node) else _same


# ---------------------------------------------------------------- structure without recursion

def same_term(a: core.Term, b: core.Term) -> bool:
    """Whether two terms are equal as `==` says (spans aside), compared without recursion."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        if type(x) is not type(y):
            return False
        names = core.child_fields(type(x))
        for name in core.plain_fields(type(x)):
            if getattr(x, name) != getattr(y, name):
                return False
        for name in names:
            left, right = getattr(x, name), getattr(y, name)
            if isinstance(left, tuple):
                if len(left) != len(right):
                    return False
                stack.extend(zip(left, right))
            else:
                stack.append((left, right))
    return True


def _plain_value(value: Any) -> Any:
    return ("def", value.name) if isinstance(value, core.Definition) else value


def _intern(self: Interner, term: core.Term, env: Any) -> Visit:
    parts: list[Any] = [type(term)]
    parts.extend(_plain_value(getattr(term, name)) for name in core.plain_fields(type(term)))
    for name in core.child_fields(type(term)):
        value = getattr(term, name)
        if isinstance(value, tuple):
            numbers = []
            for item in value:
                numbers.append((yield item))
            parts.append(tuple(numbers))
        else:
            parts.append((yield value))
    return self._numbers.setdefault(tuple(parts), len(self._numbers))


class Interner(Visitor[int]):
    """Terms numbered by structure: two terms get the same number exactly when `==` says they are
    equal (a definition compared by its name, unique in a program), found without recursion and
    without hashing a term (a frozen dataclass hashes its fields recursively)."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}

    def number(self, term: core.Term) -> int:
        return self.visit(term)

    def key(self, term: core.Term, env: Any) -> Hashable:
        return id(term)  # the number depends on the term alone (and the term outlives the walk)

    @classmethod
    def fallback(cls, node: type) -> Callable[..., Any] | None:
        return _intern
