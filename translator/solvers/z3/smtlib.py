"""Stage 5, z3: one query written as a self-contained SMT-LIB 2 script (`check --export DIR`, `NAME.smt2`).

It takes the same expanded formulas `solve` is given and hands on the text
of a script, printed by Z3 from the same translation, that any SMT-LIB
solver can answer. Names are respelled for the language (`logic.names`):
a user's name that is also an SMT-LIB word (`String`, `abs`, `select`) or is
not a simple symbol (`p'`) gets a spelling of its own, and the script says
which at its top; the names the tool invents are simple symbols already.
"""
from __future__ import annotations

from collections.abc import Sequence

import z3

from ...logic import core, names
from ...logic.walk import UnknownNode
from .bounds import Bounds
from .translate import Translator
from .vocabulary import Spelling, Untranslatable, Vocabulary


class SmtlibSpelling(Spelling):
    """The names of one script: every user name an SMT-LIB simple symbol that no theory uses."""

    def __init__(self, program: core.Program):
        self.names = names.smtlib_namespace()
        self.names.assign([(sort, sort.name, "sort") for sort in program.sorts if not sort.builtin]
                          + [(symbol, symbol.name, symbol.kind.value) for symbol in program.symbols
                             if symbol.kind is not core.SymbolKind.ELEMENT]
                          + [(("element", sort, e), e, "element") for sort in program.sorts
                             for e in sort.elements or ()])

    def sort(self, sort: core.Sort) -> str:
        return self.names.name(sort, sort.name, "sort")

    def symbol(self, symbol: core.Symbol) -> str:
        return self.names.name(symbol, symbol.name, symbol.kind.value)

    def element(self, sort: core.Sort, element: str) -> str:
        return self.names.name(("element", sort, element), element, "element")

    def witness(self, symbol: core.Symbol) -> str:
        parts = names.witness_parts(symbol.name)
        return names.witness(names.smtlib_word(parts[0]), parts[1]) if parts else names.smtlib_word(symbol.name)

    def word(self, name: str) -> str:
        return names.smtlib_word(name)

    def notes(self) -> str:
        """`; original name: p' (pred) is p_prime`, one line per respelled name."""
        return "".join(f"; original name: {original} ({what}) is {spelling}\n"
                       for original, what, spelling in self.names.renamed.values())


def smtlib_script(program: core.Program,
                  formulas: Sequence[core.Term],
                  witnesses: Sequence[core.Symbol] = (),
                  bound: int | core.Scope | None = None) -> str:
    """A self-contained SMT-LIB 2 script asking whether `formulas` have a common model.

    The same declarations and translation as `solve` (axioms and the negated
    claim, or the example's body, all plain), printed by Z3 and ending in
    `(check-sat)`: any SMT-LIB solver answers `unsat` for a proved claim and
    `sat` for a counterexample or witness. A bound is written as its plain
    meaning (every element of a sort is one of N constants), without the
    unrolling and symmetry breaking `solve` adds for speed. Raises ValueError
    for a term the back end cannot translate.
    """
    spelling = SmtlibSpelling(program)
    try:
        vocab = Vocabulary(program, witnesses, z3.Context(), spelling)
        translate = Translator(vocab)
        solver = z3.Solver(ctx=vocab.ctx)
        for formula in formulas:
            solver.add(translate.top(formula))
        if bound is not None:
            for cover in Bounds(program, witnesses, vocab, bound).covers.values():
                solver.add(cover)
        script = solver.to_smt2()
    except (z3.Z3Exception, Untranslatable, UnknownNode) as error:
        raise ValueError(f"cannot write the query in SMT-LIB: {error}") from None
    return spelling.notes() + "(set-option :produce-models true)\n(set-logic ALL)\n" + script
