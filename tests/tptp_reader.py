"""TPTP FOF problems as core programs: a soundness harness for the checker.

Reads the first-order form (FOF) of the TPTP language, without `include`,
and builds a `core.Program` over one uninterpreted sort `U`: each distinct
(name, arity, position) becomes a constant, function or predicate symbol,
each axiom-like formula a `core.Axiom`, and the conjecture a claim expected
`proved` (several conjectures are conjoined, as TPTP reads them). A problem
without a conjecture gets one `example` whose formula is `true`: are the
axioms satisfiable?

Errors raise `ValueError` with `path:line:col: message`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from translator.frontend.source import Span
from translator.logic import core

U = core.Sort("U")

AXIOM_ROLES = frozenset({"axiom", "hypothesis", "definition", "assumption", "lemma",
                         "theorem", "corollary", "negated_conjecture"})

_TOKEN = re.compile(r"""
    (?P<space>\s+|%[^\n]*|/\*.*?\*/)
  | (?P<quoted>'(?:[^'\\]|\\.)*')
  | (?P<distinct>"(?:[^"\\]|\\.)*")
  | (?P<dollar>\$\$?[a-z][A-Za-z0-9_]*)
  | (?P<upper>[A-Z][A-Za-z0-9_]*)
  | (?P<lower>[a-z][A-Za-z0-9_]*)
  | (?P<number>[+-]?[0-9][0-9./Ee+-]*)
  | (?P<op><=>|<~>|=>|<=|~\||~&|!=|[=!?~&|()\[\],:.])
""", re.VERBOSE | re.DOTALL)

_BINARY = ("<=>", "<~>", "=>", "<=", "~|", "~&")
_IDENT = re.compile(r"[a-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Token:
    kind: str   # quoted | distinct | dollar | upper | lower | number | op | eof
    text: str
    line: int
    column: int


def tokenize(text: str, path: str = "<tptp>") -> list[Token]:
    """The tokens of `text`, comments dropped, ending with an `eof` token."""
    tokens, pos, line, line_start = [], 0, 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError(f"{path}:{line}:{pos - line_start + 1}: unexpected character {text[pos]!r}")
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group(), line, pos - line_start + 1))
        newlines = match.group().count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + match.group().rindex("\n") + 1
        pos = match.end()
    tokens.append(Token("eof", "", line, pos - line_start + 1))
    return tokens


def _unquote(token: Token) -> str:
    """The name a lower word or a 'quoted atom' stands for ('abc' and abc are the same atom)."""
    if token.kind != "quoted":
        return token.text
    return re.sub(r"\\(.)", r"\1", token.text[1:-1])


def _identifier(name: str) -> str:
    """A solver-friendly spelling of an atom: plain words stay, others are escaped."""
    if _IDENT.fullmatch(name):
        return name
    return "q_" + "".join(c if c.isalnum() or c == "_" else f"_{ord(c):x}_" for c in name)


@dataclass
class _Signature:
    """The symbols met so far: one per (atom, arity, predicate?), each with a unique name."""

    symbols: dict[tuple[str, int, bool], core.Symbol] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def symbol(self, atom: str, arity: int, is_pred: bool) -> core.Symbol:
        key = (atom, arity, is_pred)
        if key not in self.symbols:
            self.symbols[key] = core.Symbol(self._fresh_name(atom, arity, is_pred),
                                            (U,) * arity, core.BOOL if is_pred else U,
                                            _kind(arity, is_pred))
        return self.symbols[key]

    def _fresh_name(self, atom: str, arity: int, is_pred: bool) -> str:
        base = _identifier(atom)
        name = base
        if name in self.taken:
            name = f"{base}_{'p' if is_pred else 'f'}{arity}"
        suffix = 1
        while name in self.taken:
            name, suffix = f"{base}_{'p' if is_pred else 'f'}{arity}_{suffix}", suffix + 1
        self.taken.add(name)
        return name


def _kind(arity: int, is_pred: bool) -> core.SymbolKind:
    if is_pred:
        return core.SymbolKind.PRED
    return core.SymbolKind.FUN if arity else core.SymbolKind.CONST


@dataclass(frozen=True)
class Annotated:
    """One `fof(name, role, formula).` statement, its formula already in core form."""

    name: str
    role: str
    formula: core.Term
    span: Span


class _Parser:
    """Recursive descent over the FOF grammar; builds core terms as it goes."""

    def __init__(self, tokens: list[Token], path: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.path = path
        self.signature = _Signature()
        self.scope: dict[str, core.Var] = {}
        self.next_uid = 0

    # ------------------------------------------------ token plumbing

    @property
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def error(self, message: str, token: Token | None = None, found: bool = True) -> ValueError:
        """A ValueError at `token` (default: the next one), saying what was found there."""
        token = token or self.peek
        if found:
            message += f", found '{token.text}'" if token.kind != "eof" else ", found end of file"
        return ValueError(f"{self.path}:{token.line}:{token.column}: {message}")

    def expect(self, text: str) -> Token:
        if self.peek.kind != "op" or self.peek.text != text:
            raise self.error(f"expected '{text}'")
        return self.advance()

    def at(self, *texts: str) -> bool:
        return self.peek.kind == "op" and self.peek.text in texts

    # ------------------------------------------------ statements

    def statements(self) -> Iterator[Annotated]:
        while self.peek.kind != "eof":
            yield self.statement()

    def statement(self) -> Annotated:
        start = self.peek
        if start.kind != "lower" or start.text != "fof":
            raise self.error("expected a 'fof(name, role, formula).' statement"
                             + (" (include is not supported)" if start.text == "include" else ""))
        self.advance()
        self.expect("(")
        name = self.formula_name()
        self.expect(",")
        if self.peek.kind != "lower":
            raise self.error("expected a formula role")
        role = self.advance().text
        self.expect(",")
        formula = self.formula()
        if self.at(","):
            raise self.error("annotations after the formula are not supported")
        self.expect(")")
        end = self.expect(".")
        span = Span(self.path, start.line, start.column, end.line, end.column + 1)
        return Annotated(name, role, formula, span)

    def formula_name(self) -> str:
        token = self.advance()
        if token.kind in ("lower", "quoted", "upper") or (token.kind == "number" and token.text.isdigit()):
            return _unquote(token)
        raise self.error("expected a formula name", token)

    # ------------------------------------------------ formulas

    def formula(self) -> core.Term:
        """A unit formula, optionally followed by one binary connective or a chain of & or |."""
        lhs = self.unit()
        if self.at(*_BINARY):
            op = self.advance().text
            return _binary(op, lhs, self.unit())
        for op, build in (("&", core.And), ("|", core.Or)):
            if self.at(op):
                args = [lhs]
                while self.at(op):
                    self.advance()
                    args.append(self.unit())
                return build(tuple(args))
        return lhs

    def unit(self) -> core.Term:
        if self.at("("):
            self.advance()
            inner = self.formula()
            self.expect(")")
            return inner
        if self.at("~"):
            self.advance()
            return core.Not(self.unit())
        if self.at("!", "?"):
            return self.quantified()
        return self.atomic()

    def quantified(self) -> core.Term:
        kind = core.QuantKind.FORALL if self.advance().text == "!" else core.QuantKind.EXISTS
        self.expect("[")
        variables = [self.binder()]
        while self.at(","):
            self.advance()
            variables.append(self.binder())
        self.expect("]")
        self.expect(":")
        outer = dict(self.scope)
        self.scope.update((v.name, v) for v in variables)
        body = self.unit()
        self.scope = outer
        return core.Quant(kind, tuple(variables), body)

    def binder(self) -> core.Var:
        token = self.advance()
        if token.kind != "upper":
            raise self.error("expected a variable (a name starting with a capital letter)", token)
        var = core.Var(token.text, U, self.next_uid)
        self.next_uid += 1
        return var

    def atomic(self) -> core.Term:
        """`$true`, `$false`, `t1 = t2`, `t1 != t2`, or a predicate applied to terms."""
        if self.peek.kind == "dollar" and self.peek.text in ("$true", "$false"):
            return core.BoolLit(self.advance().text == "$true")
        start = self.peek
        atom, args = self.application()
        if self.at("=", "!="):
            negated = self.advance().text == "!="
            eq = core.Eq(self.as_term(atom, args), self.term())
            return core.Not(eq) if negated else eq
        if atom is None:
            raise self.error("a variable cannot stand as a formula", start, found=False)
        return core.App(self.signature.symbol(atom, len(args), True), tuple(args))

    # ------------------------------------------------ terms

    def application(self) -> tuple[str | None, list[core.Term]]:
        """A variable (atom None) or an atom with its argument terms, not yet given a symbol."""
        token = self.advance()
        if token.kind == "upper":
            return None, [self.variable(token)]
        if token.kind not in ("lower", "quoted"):
            raise self.error("expected a term or an atomic formula"
                             + ("" if token.kind not in ("number", "distinct", "dollar")
                                else " (numbers, \"distinct objects\" and $-words are not supported)"),
                             token)
        args = []
        if self.at("("):
            self.advance()
            args.append(self.term())
            while self.at(","):
                self.advance()
                args.append(self.term())
            self.expect(")")
        return _unquote(token), args

    def as_term(self, atom: str | None, args: list[core.Term]) -> core.Term:
        """What `application` read, in term position: a variable, a constant or a function call."""
        if atom is None:
            return args[0]
        return core.App(self.signature.symbol(atom, len(args), False), tuple(args))

    def term(self) -> core.Term:
        return self.as_term(*self.application())

    def variable(self, token: Token) -> core.Var:
        var = self.scope.get(token.text)
        if var is None:
            raise self.error(f"variable {token.text} is not bound by a quantifier", token, found=False)
        return var


def _binary(op: str, lhs: core.Term, rhs: core.Term) -> core.Term:
    """The core form of a non-associative binary connective."""
    if op == "<=>":
        return core.Iff(lhs, rhs)
    if op == "<~>":
        return core.Not(core.Iff(lhs, rhs))
    if op == "=>":
        return core.Implies(lhs, rhs)
    if op == "<=":
        return core.Implies(rhs, lhs)
    if op == "~|":
        return core.Not(core.Or((lhs, rhs)))
    return core.Not(core.And((lhs, rhs)))  # ~&


# ---------------------------------------------------------------- programs

def parse_statements(text: str, path: str = "<tptp>") -> tuple[list[Annotated], tuple[core.Symbol, ...], int]:
    """The annotated formulas of a FOF problem, the symbols they use, and the next free uid."""
    parser = _Parser(tokenize(text, path), path)
    statements = list(parser.statements())
    return statements, tuple(parser.signature.symbols.values()), parser.next_uid


def program_from_text(text: str, path: str = "<tptp>") -> core.Program:
    """A core program for a FOF problem: axioms, and a claim for the conjecture(s)."""
    statements, symbols, next_uid = parse_statements(text, path)
    _check_names(statements)
    axioms, conjectures = [], []
    for statement in statements:
        if statement.role == "conjecture":
            conjectures.append(statement)
        elif statement.role in AXIOM_ROLES:
            axioms.append(core.Axiom(statement.name, statement.formula, statement.span))
        else:
            line, column = statement.span.line, statement.span.column
            raise ValueError(f"{path}:{line}:{column}: unsupported formula role '{statement.role}'")
    query = _query(conjectures, {s.name for s in statements}, path)
    return core.Program(root=path, sorts=(U,), symbols=symbols,
                        definitions=(), axioms=tuple(axioms), queries=(query,), next_uid=next_uid)


def program_from_file(path: str | Path) -> core.Program:
    """`program_from_text` on a file's contents, reported under its path."""
    return program_from_text(Path(path).read_text(encoding="utf-8"), str(path))


def _check_names(statements: list[Annotated]) -> None:
    seen: dict[str, Annotated] = {}
    for statement in statements:
        if statement.name in seen:
            first = seen[statement.name].span
            raise ValueError(f"{statement.span.path}:{statement.span.line}:{statement.span.column}: "
                             f"formula name '{statement.name}' is already used at line {first.line}")
        seen[statement.name] = statement


def _query(conjectures: list[Annotated], names: set[str], path: str) -> core.Query:
    """The claim for the conjectures (conjoined), or an example asking whether the axioms hold at all."""
    if not conjectures:
        name = "axioms_satisfiable"
        while name in names:
            name += "_"
        return core.Query(core.QueryKind.EXAMPLE, name, core.BoolLit(True), "witness", file=path)
    formula = (conjectures[0].formula if len(conjectures) == 1
               else core.And(tuple(c.formula for c in conjectures)))
    name = "_and_".join(c.name for c in conjectures)
    return core.Query(core.QueryKind.CLAIM, name, formula, "proved", file=path,
                      span=conjectures[0].span)
