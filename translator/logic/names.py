"""Stage 3: every name the tool gives a solver, minted here and nowhere else.

Users write identifiers `[A-Za-z_][A-Za-z0-9_']*` (LANGUAGE.md §1). Names the
tool invents carry a mark no identifier can hold, a different mark for each
kind, so they can never be the same as a user's name nor as each other:

| what | name | mark |
|---|---|---|
| a bound variable `x` with uid 7 | `x!7` | `!` |
| the witness constant for a claim's i-th outer variable `x` | `x@@i` | `@@` |
| the i-th element name of a bounded sort `S` | `S@i` | `@` then digits |
| the variable of a bounded sort's cover axiom | `x@S` | `x@` then a name |
| the literal that tracks an axiom (unsat cores) | `@track:name` | `@` first |
| a claim's i-th hypothesis, tracked (the vacuity test) | `@hypothesis:i` | `@` first |
| a probe for the universe of `S` | `@element:S` | `@` first |
| an axiom or query `suggest` adds to a program to test a premise | `@premise:role` | `@` first |
| the literal that tracks the bound on `S` (unsat cores) | `@bound:S` | `@` first |

(The witness once had the mark of an element, `x@i`, so that a variable named
like its sort was the same Z3 constant as one of the bound's elements.)

Written out as text for another program, a user's name can still clash with
a word of that language (`String` and `abs` in SMT-LIB, upper-case words in
TPTP): `Namespace` respells such names deterministically, keeping every name
that needs no change and numbering clashes, and remembers what it renamed so
the text can say so. `smtlib_word` and `tptp_word` are the spellings of the
two export languages; the solver's own names (the table above) are already
SMT-LIB simple symbols.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable

# ---------------------------------------------------------------- the tool's own names

def variable(name: str, uid: int) -> str:
    """A bound variable's solver name: unique per binder, since uids are."""
    return f"{name}!{uid}"


def witness(name: str, index: int) -> str:
    """The constant standing for a query's `index`-th outer variable `name`."""
    return f"{name}@@{index}"


def witness_parts(name: str) -> tuple[str, int] | None:
    """The variable and the index of a witness constant's name (None if `witness` did not make it)."""
    variable, mark, index = name.partition("@@")
    return (variable, int(index)) if mark and index.isdigit() else None


def witness_variable(name: str) -> str:
    """The variable a witness constant stands for (the inverse of `witness`): no user name has an `@`."""
    return name.partition("@")[0] or name


def element(sort: str, index: int) -> str:
    """The `index`-th (from 1) element name of a bounded sort."""
    return f"{sort}@{index}"


def cover_variable(sort: str) -> str:
    """The bound variable of the axiom that says every element of a bounded sort is named."""
    return f"x@{sort}"


def track(axiom: str) -> str:
    """The Boolean constant whose assumption stands for an axiom in an unsat core."""
    return f"@track:{axiom}"


def hypothesis(index: int) -> str:
    """The name under which a claim's `index`-th hypothesis is tracked in an unsat core."""
    return f"@hypothesis:{index}"


def node(index: int, holds: bool) -> str:
    """The name under which `explore` tracks its `index`-th node holding (or failing) at the witness."""
    return f"@node:{index}" if holds else f"@not-node:{index}"


def premise(role: str) -> str:
    """The name of an axiom (the candidate premise, the claim) or query that `suggest` adds to a
    program variant to ask one of its questions through the checker."""
    return f"@premise:{role}"


def bound(sort: str) -> str:
    """The Boolean constant whose assumption stands for the bound on a sort in an unsat core."""
    return f"@bound:{sort}"


def probe(sort: str) -> str:
    """A constant that makes a solver name one element of an unconstrained sort."""
    return f"@element:{sort}"


# ---------------------------------------------------------------- user names in other languages

class Namespace:
    """Unique spellings: names that are already `spell(name)` keep it, the others are respelled,
    and a spelling already taken (or reserved) gets a number."""

    def __init__(self, spell: Callable[[str], str], reserved: Iterable[str] = ()):
        self.spell = spell
        self.taken: set[str] = set(reserved)
        self.spellings: dict[Hashable, str] = {}
        self.renamed: dict[Hashable, tuple[str, str, str]] = {}  # key: (original, what, spelling)

    def assign(self, items: Iterable[tuple[Hashable, str, str]]) -> None:
        """Spell each (key, original name, what it is); the names that need no change first, so they stay."""
        items = list(items)
        exact = [i for i in items if self.spell(i[1]) == i[1]]
        for key, original, what in exact + [i for i in items if i not in exact]:
            self.name(key, original, what)

    def name(self, key: Hashable, original: str, what: str = "") -> str:
        if key in self.spellings:
            return self.spellings[key]
        base = self.spell(original)
        text, n = base, 1
        while text in self.taken:
            n += 1
            text = f"{base}_{n}"
        self.taken.add(text)
        self.spellings[key] = text
        if text != original and what:
            self.renamed[key] = (original, what, text)
        return text


def _ascii_word(name: str) -> str:
    """`name` with every character that is not an ASCII letter, digit or `_` spelled out."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else
                   "_prime" if c == "'" else f"_u{ord(c):04x}" for c in name) or "x"


def tptp_word(name: str, variable: bool = False) -> str:
    """`name` as a TPTP word: lower-case start for symbols, upper-case start for variables."""
    text = _ascii_word(name)
    if not text[0].isalpha():
        return ("V" if variable else "x") + text
    return (text[0].upper() if variable else text[0].lower()) + text[1:]


def smtlib_word(name: str) -> str:
    """`name` as an SMT-LIB simple symbol of letters, digits and `_` that starts with a letter."""
    text = _ascii_word(name)
    return text if text[0].isalpha() else "x" + text


SMTLIB_RESERVED = frozenset("""
    _ ! as let match par exists forall lambda NUMERAL DECIMAL STRING BINARY HEXADECIMAL
    assert echo exit pop push reset
    Bool true false not and or xor distinct ite implies
    Int Real div mod abs to_real to_int is_int rem power exp pi euler
    Array select store const subset union intersection complement member card
    BitVec concat extract repeat zero_extend sign_extend rotate_left rotate_right
    FloatingPoint Float16 Float32 Float64 Float128 RoundingMode RNE RNA RTP RTN RTZ fp NaN
    roundNearestTiesToEven roundNearestTiesToAway roundTowardPositive roundTowardNegative roundTowardZero
    String RegLan RegEx Char char Seq Set Bag bag Tuple tuple UnitTuple Relation Table Nullable is
    int2bv nat2bv to_fp to_fp_unsigned to_ubv to_sbv
""".split())
"""Words of SMT-LIB 2.6 and of its theories (and of z3's and cvc5's extensions) that a user could
also write as a name: declared again, they are refused or silently mean the theory's symbol."""

_SMTLIB_THEORY_PREFIXES = re.compile(r"^(bv[a-z0-9]|fp_)")
"""The families of theory words: `bvadd`, `bv2nat`, ..., `fp_to_real`, ..."""


def smtlib_namespace() -> Namespace:
    """The names of one SMT-LIB script: theory words and their families are never a user's name."""
    return Namespace(_smtlib_spelling, SMTLIB_RESERVED)


def _smtlib_spelling(name: str) -> str:
    word = smtlib_word(name)
    return f"u_{word}" if _SMTLIB_THEORY_PREFIXES.match(word) else word
