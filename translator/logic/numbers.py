"""Numbers as every stage reads and writes them: long integers, exact decimals, exact JSON.

A spec's numbers are exact (`int`, `Fraction`), and so is everything the tool
hands on about them; this module is where they meet text.

- Python refuses to turn an integer of more than 4,300 digits into text or
  back (a guard against the quadratic cost of converting untrusted text).
  A literal or a folded coefficient of a spec may have up to `MAX_DIGITS`
  digits (the front end refuses longer ones with a message), and a model's
  values may be somewhat longer still; `allow_long_numbers` raises the guard
  to `PROCESS_DIGITS` where a run starts (the pipeline, a worker process).
  A conversion of that many digits takes well under a second; a value longer
  still (only a solver's model can hold one) is refused where it is read
  (`solvers/z3/models.py`), never converted.
- `decimal_text`: the exact decimal text of a finite decimal (`2.5`, not
  the nearest float's `2.5`, and `10000000000000000000.1`, not `1e+19`).
- JSON (LANGUAGE.md §5): a Real that is a finite decimal is a JSON number
  written from its exact decimal text, any other a string `"p/q"`.
  `json_real` gives the number as a `float` when the float's own text is
  exactly that value (so documents stay what `json` writes) and as a
  `Decimal` otherwise; `dumps` writes both, byte for byte as `json.dumps`
  writes the rest; `loads` reads every number back exactly.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from functools import cache

MAX_DIGITS = 100_000
"""The most digits a numeric literal, or a coefficient folded from literals, may have."""

PROCESS_DIGITS = 2 * MAX_DIGITS + 64
"""Python's integer-to-text guard while alignproof runs: a sum or a model value a little past
`MAX_DIGITS` still converts (the cost of the longest is not yet measured in bench/)."""


def allow_long_numbers() -> None:
    """Raise Python's integer-to-text guard to `PROCESS_DIGITS` for this process (never lower it)."""
    current = sys.get_int_max_str_digits()
    if current and current < PROCESS_DIGITS:
        sys.set_int_max_str_digits(PROCESS_DIGITS)


def too_long(value: int | Fraction) -> bool:
    """Whether `value` has more than `MAX_DIGITS` digits (numerator or denominator)."""
    value = Fraction(value)
    return abs(value.numerator) >= _limit() or value.denominator >= _limit()


@cache
def _limit() -> int:
    return 10 ** MAX_DIGITS


# ---------------------------------------------------------------- exact decimals

def _decimal_places(value: Fraction) -> int | None:
    """The digits after the point of `value`'s decimal expansion, or None if it does not end."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    return max(twos, fives) if den == 1 else None


def decimal_text(value: Fraction | int, point: bool = False) -> str | None:
    """The exact decimal text of `value` (`-2.5`, `0.125`, `7`), or None when its expansion does
    not end (1/3). With `point`, an integer is written with `.0` (a Real: `7.0`)."""
    value = Fraction(value)
    places = _decimal_places(value)
    if places is None:
        return None
    sign = "-" if value < 0 else ""
    if places == 0:
        return f"{sign}{abs(value.numerator)}" + (".0" if point else "")
    scaled = abs(value.numerator) * 10 ** places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def json_real(value: Fraction) -> float | Decimal | str:
    """A Real in JSON (LANGUAGE.md §5): a number when it is a finite decimal (a float where the
    float's text is exactly the value, else a `Decimal` of the exact text), otherwise "p/q"."""
    text = decimal_text(value, point=True)
    if text is None:
        return f"{value.numerator}/{value.denominator}"
    try:
        near = float(value)
    except OverflowError:
        return Decimal(text)
    return near if Fraction(repr(near)) == value else Decimal(text)


def json_number(text: str) -> float | Decimal:
    """A JSON number with a fraction or exponent, read exactly: a float where that is the same
    value as written, else a `Decimal`. For `json.loads(parse_float=...)`."""
    near = float(text)
    if near != near or near in (float("inf"), float("-inf")) or Fraction(repr(near)) != Fraction(text):
        return Decimal(text)
    return near


def loads(text: str):
    """`json.loads` with every number read exactly (`json_number`)."""
    return json.loads(text, parse_float=json_number)


# ---------------------------------------------------------------- writing JSON

def dumps(value: object, indent: int | None = None, sort_keys: bool = False) -> str:
    """`json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=False)`, byte for byte,
    except that a `Decimal` is written as a number from its own text. Iterative: a document of any
    depth is written without recursion."""
    return "".join(_chunks(value, indent, sort_keys))


def _chunks(value: object, indent: int | None, sort_keys: bool) -> Iterator[str]:
    separator = "," if indent is not None else ", "
    stack: list[tuple[bool, object, int]] = [(False, value, 0)]  # (is text, item, level)
    while stack:
        is_text, item, level = stack.pop()
        if is_text:
            yield item  # type: ignore[misc]
            continue
        if isinstance(item, dict) and item:
            pairs = sorted(item.items()) if sort_keys else list(item.items())
            inner = _newline(indent, level + 1)
            frames: list[tuple[bool, object, int]] = []
            for i, (key, sub) in enumerate(pairs):
                frames.append((True, f"{separator if i else ''}{inner}{_key(key)}: ", 0))
                frames.append((False, sub, level + 1))
            frames.append((True, _newline(indent, level) + "}", 0))
            yield "{"
            stack.extend(reversed(frames))
        elif isinstance(item, (list, tuple)) and item:
            inner = _newline(indent, level + 1)
            frames = []
            for i, sub in enumerate(item):
                frames.append((True, f"{separator if i else ''}{inner}", 0))
                frames.append((False, sub, level + 1))
            frames.append((True, _newline(indent, level) + "]", 0))
            yield "["
            stack.extend(reversed(frames))
        else:
            yield _scalar(item)


def _newline(indent: int | None, level: int) -> str:
    return "" if indent is None else "\n" + " " * (indent * level)


def _key(key: object) -> str:
    if isinstance(key, str):
        return json.dumps(key, ensure_ascii=False)
    return json.dumps(_scalar(key) if not isinstance(key, bool) else ("true" if key else "false"))


def _scalar(item: object) -> str:
    if isinstance(item, Decimal):
        if not item.is_finite():
            raise ValueError(f"not a JSON number: {item}")
        return str(item)
    if isinstance(item, dict):
        return "{}"
    if isinstance(item, (list, tuple)):
        return "[]"
    return json.dumps(item, ensure_ascii=False)
