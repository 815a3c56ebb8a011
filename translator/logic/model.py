"""The plain model: a finite structure copied out of the solver, free of z3 objects.

Everything that prints, exports, records or re-checks a model reads this.
Values are Python values: an element of a sort is its name (`Agent#0`, or a
finite sort's declared element name), a Bool is `bool`, an Int is `int`, a
Real is `Fraction`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from .numbers import json_real

Value = bool | int | Fraction | str


@dataclass(frozen=True)
class Table:
    """A symbol's interpretation: explicit rows, and the value everywhere else (if known).

    When every argument sort is finite in the model, the rows list every
    argument tuple and `default` is None. For arguments of type Int or Real
    the rows are the solver's explicit entries and `default` the rest.
    """

    rows: tuple[tuple[tuple[Value, ...], Value], ...]
    default: Value | None = None

    @cached_property
    def _index(self) -> dict:
        return {args: value for args, value in self.rows}

    def lookup(self, args: tuple[Value, ...]) -> Value | None:
        """The value at `args`; None when the model does not say."""
        value = self._index.get(args)
        return self.default if value is None else value


@dataclass(frozen=True)
class Model:
    """A finite structure: the elements of each declared sort and a table per symbol.

    `universes` has an entry for every uninterpreted and finite sort of the
    program; `tables` one for every constant, function, predicate, bridge and
    witness constant, keyed by symbol name (witness constants by their
    solver-side name, which no user identifier can take).
    """

    universes: Mapping[str, tuple[str, ...]]
    tables: Mapping[str, Table]
    witness: Mapping[str, Value] = field(default_factory=dict)

    def universe(self, sort_name: str) -> tuple[str, ...] | None:
        return self.universes.get(sort_name)

    def value(self, symbol_name: str, args: tuple[Value, ...] = ()) -> Value | None:
        table = self.tables.get(symbol_name)
        return table.lookup(args) if table is not None else None


def value_to_json(value: Value):
    """JSON form of a value (LANGUAGE.md §5): reals exact in decimal as numbers written from their
    exact decimal text (`numbers.json_real`; write with `numbers.dumps`), else "p/q"."""
    if isinstance(value, Fraction):
        return json_real(value)
    return value


def value_to_text(value: Value) -> str:
    """How a value is shown to people."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return str(value)


# ---------------------------------------------------------------- JSON, both ways

Signature = Mapping[str, tuple[tuple[bool, ...], bool]]
"""For each symbol with a Real argument or value: which arguments are Real, and whether the value is."""


def value_from_json(value, real: bool = False) -> Value:
    """A value read back from `value_to_json`'s form; `real` when it is known to be a Real
    (older records wrote a Real beyond 2**53 as a plain digit string)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return Fraction(value)
    if real:
        return Fraction(str(value))
    if isinstance(value, float):
        return Fraction(str(value))
    if isinstance(value, str) and _is_ratio(value):
        return Fraction(value)
    return value


def _is_ratio(text: str) -> bool:
    numerator, slash, denominator = text.partition("/")
    return bool(slash) and numerator.lstrip("-").isdigit() and denominator.isdigit()


def model_to_json(model: Model, sorts: Sequence[str], symbols: Sequence[str]) -> dict:
    """The JSON form of LANGUAGE.md §5: the universes of `sorts` and the tables of `symbols`."""
    tables = {}
    for name in symbols:
        table = model.tables.get(name)
        if table is None:
            continue
        rows = [{"args": [value_to_json(a) for a in args], "value": value_to_json(v)} for args, v in table.rows]
        if table.default is not None:
            arity = len(table.rows[0][0]) if table.rows else 1
            rows.append({"args": ["_"] * arity, "value": value_to_json(table.default), "else": True})
        tables[name] = rows
    return {
        "sorts": {s: list(model.universes[s]) for s in sorts if s in model.universes},
        "symbols": tables,
    }


def model_from_json(doc: Mapping, signature: Signature | None = None,
                    witness: Mapping[str, Value] | None = None) -> Model:
    """A model read back from `model_to_json`'s form (the sorts and symbols it shows)."""
    signature = signature or {}
    tables = {}
    for name, rows in doc.get("symbols", {}).items():
        args_real, value_real = signature.get(name, ((), False))
        explicit = tuple((tuple(value_from_json(a, i < len(args_real) and args_real[i])
                                for i, a in enumerate(r["args"])), value_from_json(r["value"], value_real))
                         for r in rows if not r.get("else"))
        default = next((value_from_json(r["value"], value_real) for r in rows if r.get("else")), None)
        tables[name] = Table(explicit, default)
    return Model({s: tuple(v) for s, v in doc.get("sorts", {}).items()}, tables, dict(witness or {}))
