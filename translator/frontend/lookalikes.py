"""Stage 1a, for the lexer: symbols people paste from papers and other languages.

Each spelling here is something the language does not have (`⇒`, `==`, `&&`,
`∈`, a non-breaking space, ...) mapped to the help that names what it does
write instead. None of them can begin valid input (`=>` would be `=` then `>`,
which never parses), so the lexer may report them outright. The lexer turns
a match into one diagnostic and skips it.
"""
from __future__ import annotations

import re

_IMPLIES = "did you mean `->`? implication is written -> (or →)"
_IFF = "did you mean `<->`? equivalence is written <-> (or ↔)"
_AND = "did you mean `and`? conjunction is written and (or ∧)"
_OR = "did you mean `or`? disjunction is written or (or ∨)"
_NOT = "did you mean `not`? negation is written not (or ¬)"
_EQ = "did you mean `=`? equality is a single = (between terms; between formulas, <->)"
_NE = "did you mean `!=`? disequality is written != (or ≠)"
_TURNSTILE = "did you mean `->`? a claim is one formula: write its premises as `A -> B`"
_IN = "a bound variable is typed with ':': write `s: S`, as in `forall s: S. p(s)`"
_MINUS = "did you mean `-`? (a dash or minus sign pasted from a document)"
_PRIME = "did you mean `'`? names may end in plain primes: f', x''"

# spelling -> help. ASCII spellings first; the lexer tries the longest spelling first.
LOOKALIKES: dict[str, str] = {
    "=>": _IMPLIES, "==>": _IMPLIES, "-->": _IMPLIES,
    "<=>": _IFF, "<==>": _IFF,
    "==": _EQ, "===": _EQ,
    "<>": _NE, "/=": _NE, "=/=": _NE, "!==": _NE,
    "&&": _AND, "&": _AND,
    "||": _OR, "|": _OR,
    "!": _NOT, "~": _NOT,
    ";": "declarations need no separator: remove ';'",
    "[": "group with ( ) and apply with f(x): [ ] are not part of the language",
    "]": "group with ( ) and apply with f(x): [ ] are not part of the language",
    # implication and its reverse
    **dict.fromkeys("⇒⟹⊃⟶⇾⟾➔➙➜➝➞⇛", _IMPLIES),
    **dict.fromkeys("⇐⟸←⟵", "implication is written left to right: for `a ⇐ b` write `b -> a`"),
    **dict.fromkeys("⇔⟺⟷", _IFF),
    "≡": "did you mean `<->` (between formulas) or `=` (between terms)?",
    "≢": "did you mean `!=` (between terms) or `not (a <-> b)` (between formulas)?",
    **dict.fromkeys("⋀", _AND),
    **dict.fromkeys("⋁", _OR),
    **dict.fromkeys("￢⌐∼˜", _NOT),
    **dict.fromkeys("⊢⊨⊧", _TURNSTILE),
    **dict.fromkeys("∈∊", _IN),
    "∃!": "unique existence is not built in: write `exists x: S. p(x) and forall y: S. p(y) -> y = x`",
    **dict.fromkeys("−–—", _MINUS),
    **dict.fromkeys("×·⋅∗", "did you mean `*`? multiplication is written *"),
    **dict.fromkeys("≦⩽", "did you mean `<=`? (or ≤)"),
    **dict.fromkeys("≧⩾", "did you mean `>=`? (or ≥)"),
    "≔": "did you mean `:=`? a definition is written def name := ...",
    **dict.fromkeys("“”„", 'did you mean `"`? write paths in plain double quotes: import "base.align"'),
    **dict.fromkeys("’‘′", _PRIME),
    "⊤": "did you mean `true`?",
    "⊥": "did you mean `false`?",
}

# Invisible spaces pasted with text: each is named, since it cannot be seen.
SPACES = frozenset("\u00a0\u2002\u2003\u2007\u2009\u200a\u200b\u202f\u3000\ufeff")

# `!` alone only: `!=` is the language's disequality.
PATTERN = "|".join(r"!(?!=)" if s == "!" else re.escape(s) for s in sorted(LOOKALIKES, key=len, reverse=True))


def space_help(char: str) -> str:
    return f"an invisible space character (U+{ord(char):04X}) pasted with the text: replace it with an ordinary space"
