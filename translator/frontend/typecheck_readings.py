"""Stage 2, the type checker's rules for lemmas and readings (LANGUAGE.md §6.1, §6.2).

Mixed into the declaration checker (`typecheck`). A lemma is a query that
stands in the program's order: each query records the lemmas declared before
it (`core.Query.lemmas`). A reading's parts are checked where the reading
stands: a replacement `def` against the definition it replaces (declared,
before the reading, same parameters and sorts, not the same text), `drop
axiom` against the program's axioms, added axioms and lemmas as anywhere
else. `expect V in R` is checked once every reading is known. Each misuse
has its own diagnostic (`diagnostics`: `reading-*`, `duplicate-reading`,
`unknown-reading`, `empty-reading`). It hands `reread.variant` each reading
as a `reread.Checked`, and the program as written its variants.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..logic import core
from . import diagnostics as codes
from . import syntax
from .reread import Checked, Key, Keys, variant
from .source import Span
from .typecheck_terms import TermChecks
from .typecheck_util import ERROR, KIND_WORDS, close_matches, sort_of, where

BASE = "base"
"""The name of the program as written, among its readings."""

QUERY_EXPECTATIONS = {"claim": ("proved", "counterexample"), "lemma": ("proved", "counterexample"),
                      "example": ("witness", "none")}


class ReadingChecks(TermChecks):
    """Lemmas, readings and per-reading expectations; the state lives in `typecheck._Checker`."""

    statement_spans: dict[str, Span | None]
    lemmas: list[core.Query]
    keys: dict[str, dict[str, Key]]
    readings: list[Checked]
    reading_spans: dict[str, Span | None]
    pinned: list[syntax.QueryDecl]
    declared: dict[str, syntax.Decl]       # every def and axiom as written, by name (first one)
    statement_kinds: dict[str, str]        # every axiom, claim, example and lemma name: its kind
    _own_statement: Callable[[str, Span | None], None]  # typecheck._Checker's: one name, one statement

    def _start_readings(self) -> None:
        self.lemmas = []
        self.keys = {"axioms": {}, "lemmas": {}, "queries": {}}
        self.readings = []
        self.reading_spans = {}
        self.pinned = []
        self.declared = {}
        self.statement_kinds = {}

    def _note(self, decl: syntax.Decl) -> None:
        """Remember what a reading may replace or drop, wherever in the program it stands."""
        if isinstance(decl, syntax.DefDecl):
            self.declared.setdefault(decl.name, decl)
        elif isinstance(decl, syntax.AxiomDecl):
            self.declared.setdefault(decl.name, decl)
            self.statement_kinds.setdefault(decl.name, "axiom")
        elif isinstance(decl, syntax.QueryDecl):
            self.statement_kinds.setdefault(decl.name, decl.kind)

    # ------------------------------------------------------------ lemmas

    def _lemma_rules(self, decl: syntax.QueryDecl, in_reading: str | None = None) -> None:
        """What a lemma may not say: `within` (a bound proves nothing to build on), `expect
        counterexample` of its own (a lemma is there to be proved), pins in a reading's lemma."""
        if decl.within is not None:
            self._error(codes.BAD_WITHIN, f"lemma '{decl.name}' cannot have `within`: only a lemma proved "
                        "outright is used by what follows it, and a bounded search proves nothing",
                        decl.within_span or decl.span,
                        help="remove `within`, or state it as a claim if a bounded check is what you want")
        if decl.expect == "counterexample":
            self._error(codes.BAD_EXPECT, f"lemma '{decl.name}' cannot expect a counterexample: a lemma "
                        "is stated to be proved and used", decl.expect_span or decl.span,
                        help="state it as a claim with `expect counterexample`, or pin one reading with "
                             "`expect counterexample in R`")
        if in_reading is not None and decl.pins:
            self._error(codes.BAD_EXPECT, f"lemma '{decl.name}' belongs to reading '{in_reading}' and is "
                        "checked only there, so it cannot pin other readings", decl.pins[0].span or decl.span,
                        help="remove `expect ... in ...`")

    def _core_query(self, decl: syntax.QueryDecl, formula: core.Term, expect: str, within: core.Scope | None,
                    path: str) -> core.Query:
        """The core query, with the lemmas declared before it and its pins."""
        pins = tuple((p.reading, p.verdict) for p in decl.pins)
        if decl.pins:
            self.pinned.append(decl)
        return core.Query(core.QueryKind(decl.kind), decl.name, formula, expect, within, path, decl.span,
                          decl.doc, lemmas=tuple(q.name for q in self.lemmas), pins=pins)

    # ------------------------------------------------------------ readings

    def _Reading(self, decl: syntax.Reading, path: str, in_root: bool) -> None:
        duplicate = decl.name in self.reading_spans
        span = decl.name_span or decl.span
        if decl.name == BASE:
            self._error(codes.RESERVED, "'base' names the program as written and cannot name a reading",
                        span, help="choose another name for the reading")
        elif duplicate:
            self._error(codes.DUPLICATE_READING, f"reading '{decl.name}' is declared twice (first at "
                        f"{where(self.reading_spans[decl.name])})", span, help="rename one of the two readings")
        else:
            self.reading_spans[decl.name] = span
        if not decl.items:
            self._error(codes.EMPTY_READING, f"reading '{decl.name}' changes nothing", span,
                        help="give it a `def` that replaces a definition, a `drop axiom`, or an added "
                             "`axiom` or `lemma`; or remove it")
        checked = Checked(core.Reading(decl.name, path, span=decl.span, doc=decl.doc), (self.position, 0),
                          in_root=in_root)
        for index, item in enumerate(decl.items):
            key = (self.position, index + 1)
            if isinstance(item, syntax.DefDecl):
                self._replacement(item, checked)
            elif isinstance(item, syntax.DropAxiom):
                self._drop(item, checked)
            elif isinstance(item, syntax.AxiomDecl):
                self._own_statement(item.name, item.name_span or item.span)
                formula = self._check_formula(item.formula, {}, f"the formula of axiom '{item.name}'")
                checked.axioms.append((key, core.Axiom(item.name, formula, item.span, item.doc)))
            else:
                self._reading_lemma(item, key, checked, path)
        replaces = tuple(checked.replacements)
        adds = tuple(a.name for _, a in checked.axioms) + tuple(q.name for _, q in checked.lemmas)
        drops = tuple(n for n in checked.drops if self.statement_kinds.get(n) == "axiom")
        checked.info = replace(checked.info, replaces=replaces, drops=drops, adds=adds)
        if decl.name != BASE and not duplicate:
            self.readings.append(checked)

    def _reading_lemma(self, item: syntax.QueryDecl, key: Key, checked: Checked, path: str) -> None:
        self._own_statement(item.name, item.name_span or item.span)
        self._lemma_rules(item, checked.info.name)
        formula = self._check_formula(item.formula, {}, f"the formula of lemma '{item.name}'")
        before = [q.name for q in self.lemmas] + [q.name for _, q in checked.lemmas]
        checked.lemmas.append((key, core.Query(core.QueryKind.LEMMA, item.name, formula, "proved", None, path,
                                               item.span, item.doc, lemmas=tuple(before))))

    def _replacement(self, item: syntax.DefDecl, checked: Checked) -> None:
        reading = checked.info.name
        span = item.name_span or item.span
        if item.name in checked.replacements or item.name in checked.spans:
            self._error(codes.DUPLICATE, f"reading '{reading}' replaces '{item.name}' twice (first at "
                        f"{where(checked.spans[item.name])})", span, help="keep one of the two replacements")
            return
        checked.spans[item.name] = span
        original = self._replaced(item, reading)
        params, scope = self._bind(item.params, {})
        body = self._check(item.body, scope, None)
        if original is None or not self._same_signature(item, params, body, original, reading):
            return
        written = self.declared.get(item.name)
        if isinstance(written, syntax.DefDecl) and written.params == item.params and written.body == item.body:
            self._error(codes.EMPTY_READING, f"reading '{reading}' replaces '{item.name}' by the same "
                        "definition", span, help="change the body, or remove the replacement")
            return
        checked.replacements[item.name] = core.Definition(item.name, params, body, item.span, item.doc)

    def _replaced(self, item: syntax.DefDecl, reading: str) -> core.Definition | None:
        """The definition a replacement replaces, or None with the diagnostic that says why there is none."""
        span = item.name_span or item.span
        entry = self.entries.get(item.name)
        if entry is None:
            defs = [n for n, e in self.entries.items() if e.kind == "def" and e.position < self.position]
            close = close_matches(item.name, defs)
            self._error(codes.UNDECLARED_DEF, f"reading '{reading}' replaces '{item.name}', which is not a "
                        "declared definition", span,
                        help=f"did you mean '{close[0]}'?" if close else
                        "a reading replaces a `def` declared before it; declare new names outside readings")
            return None
        if entry.kind != "def":
            self._error(codes.UNDECLARED_DEF, f"reading '{reading}' replaces '{item.name}', but '{item.name}' "
                        f"is a {KIND_WORDS[entry.kind]}, not a definition", span,
                        help="a reading replaces only `def`s; a function's meaning is changed with axioms "
                             "(add them in the reading, or drop the axioms that constrain it)")
            return None
        if entry.position >= self.position:
            self._error(codes.FORWARD_REFERENCE, f"reading '{reading}' replaces '{item.name}', which is "
                        f"declared after the reading (at {where(entry.span)})", span,
                        help="move the reading below the definitions it replaces")
            return None
        value = self.values.get(item.name)
        return value if isinstance(value, core.Definition) else None

    def _same_signature(self, item: syntax.DefDecl, params: tuple[core.Var, ...], body: core.Term,
                        original: core.Definition, reading: str) -> bool:
        """Whether the replacement keeps the parameters' number and sorts, and the result's sort."""
        mine = ", ".join(f"{v.name}: {v.sort}" for v in params)
        theirs = ", ".join(f"{v.name}: {v.sort}" for v in original.params)
        if len(params) != len(original.params) or any(a.sort != b.sort for a, b in zip(params, original.params)):
            self._error(codes.CHANGED_SIGNATURE, f"in reading '{reading}', '{item.name}' takes ({mine}), but "
                        f"the definition it replaces takes ({theirs})", item.name_span or item.span,
                        help=f"a replacement keeps the parameters and their sorts: `def {item.name}({theirs}) := ...`")
            return False
        got, wanted = sort_of(body), original.sort
        if got != wanted and ERROR not in (got, wanted):
            self._error(codes.CHANGED_SIGNATURE, f"in reading '{reading}', '{item.name}' is {got}, but the "
                        f"definition it replaces is {wanted}", item.body.span or item.span,
                        help=f"a replacement has the sort of the definition it replaces ({wanted})")
            return False
        return True

    def _drop(self, item: syntax.DropAxiom, checked: Checked) -> None:
        reading = checked.info.name
        span = item.name_span or item.span
        kind = self.statement_kinds.get(item.name)
        if item.name in checked.drops:
            self._error(codes.DUPLICATE, f"reading '{reading}' drops axiom '{item.name}' twice", span,
                        help="keep one `drop axiom`")
        elif kind is None:
            axioms = [n for n, k in self.statement_kinds.items() if k == "axiom"]
            close = close_matches(item.name, axioms)
            self._error(codes.NO_SUCH_AXIOM, f"reading '{reading}' drops '{item.name}', but the program has no "
                        "axiom of that name", span,
                        help=f"did you mean '{close[0]}'?" if close else "name an axiom of this file or its imports")
        elif kind != "axiom":
            self._error(codes.NO_SUCH_AXIOM, f"reading '{reading}' drops '{item.name}', but '{item.name}' is a "
                        f"{kind}, not an axiom", span,
                        help="a reading drops only axioms; a lemma or claim holds or fails by itself")
        checked.drops.add(item.name)

    # ------------------------------------------------------------ the end of the program

    def _check_pins(self) -> None:
        known = [r.info.name for r in self.readings]
        for decl in self.pinned:
            allowed = QUERY_EXPECTATIONS[decl.kind]
            for pin in decl.pins:
                if pin.reading == BASE:  # the query's own expectation (`typecheck._pinned_base`)
                    continue
                if pin.verdict not in allowed:
                    self._error(codes.BAD_EXPECT, f"a {decl.kind} can expect '{allowed[0]}' or '{allowed[1]}', "
                                f"not '{pin.verdict}'", pin.span or decl.span,
                                help=f"write `expect {allowed[1]} in {pin.reading}`")
                if pin.reading not in known:
                    self._unknown_reading(pin, known)

    def _unknown_reading(self, pin: syntax.Pin, known: list[str]) -> None:
        close = close_matches(pin.reading, known)
        if close:
            help = f"did you mean '{close[0]}'?"
        elif known:
            help = f"the readings of this program are {', '.join(known)}"
        else:
            help = "declare it with `reading NAME: ... end`, in this file or one it imports"
        self._error(codes.UNKNOWN_READING, f"no reading named '{pin.reading}'", pin.reading_span or pin.span,
                    help=help)

    def _with_readings(self, program: core.Program) -> core.Program:
        """The program as written with one variant per reading (unchanged without readings)."""
        self._check_pins()
        if not self.readings:
            return program
        infos = tuple(r.info for r in self.readings)
        keys = Keys(self.keys["axioms"], self.keys["lemmas"], self.keys["queries"])
        base = replace(program, reading=BASE, readings=infos)
        variants = []
        for checked in self.readings:
            built, problems = variant(base, keys, checked)
            for problem in problems:
                self._error(problem.code, problem.message, problem.span, problem.help)
            if built is not None:
                variants.append(built)
        return replace(base, variants=tuple(variants))
