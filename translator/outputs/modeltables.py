"""The shown part of a model as plain tables of text, for the writers of `NAME.md` and `NAME.tex`.

A consumer of a result's re-checked model: which sorts, constants and
symbol tables a counterexample shows (the result's `shown_sorts` and
`shown_symbols`), each cell already printed as people read values. The
Markdown writer (`export.py`) and the LaTeX writer (`latex.py`) lay the same
tables out in their own syntax.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..logic import core
from ..logic.model import Model, Value, value_to_text


@dataclass(frozen=True)
class SymbolTable:
    """One function or predicate: its rows of argument values and the value, and the value otherwise."""

    signature: str
    columns: tuple[str, ...]                # the argument sorts, then the symbol's name
    rows: tuple[tuple[str, ...], ...]       # the last cell of a row is the value
    otherwise: str | None = None


@dataclass(frozen=True)
class ModelTables:
    sorts: tuple[tuple[str, tuple[str, ...]], ...]     # (sort, its elements)
    constants: tuple[tuple[str, str], ...]             # (signature, value)
    tables: tuple[SymbolTable, ...]

    @property
    def has_symbols(self) -> bool:
        return bool(self.constants or self.tables)


def shown(value: Value | None) -> str:
    return "undecided" if value is None else value_to_text(value)


def model_tables(program: core.Program, model: Model, sorts: Sequence[str], names: Sequence[str]) -> ModelTables:
    """The sorts among `sorts` and the declared symbols among `names` that the model interprets."""
    universes = tuple((s, tuple(model.universes[s])) for s in sorts if s in model.universes)
    candidates = (program.symbol(n) for n in names if model.tables.get(n) is not None)
    symbols = [s for s in candidates if s is not None]
    constants = tuple((s.signature(), shown(model.value(s.name))) for s in symbols if not s.args)
    tables = []
    for symbol in (s for s in symbols if s.args):
        table = model.tables[symbol.name]
        rows = tuple(tuple(value_to_text(a) for a in args) + (value_to_text(value),) for args, value in table.rows)
        otherwise = value_to_text(table.default) if table.default is not None else None
        columns = tuple(a.name for a in symbol.args) + (symbol.name,)
        tables.append(SymbolTable(symbol.signature(), columns, rows, otherwise))
    return ModelTables(universes, constants, tuple(tables))
