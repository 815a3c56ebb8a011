"""Outputs: the results of a file with readings (LANGUAGE.md §6.2), as people read them.

A file with readings has one result per query and reading. Printed one after
another they would repeat every verdict that no reading changes, so here each
query is printed once, as the program as written (`base`) answers it, and
below it only the readings whose answer differs from base's (another
verdict, or an expectation not met), each with its own details. A query
whose verdict is the same under every reading says so on its head line. A
query that exists only in a reading (a reading's lemma) is printed under
that reading. It reads `Result`s and nothing else; `text.result_lines`
writes each one.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..check.results import Result

BASE = "base"

Lines = Callable[..., list[str]]


def file_lines(results: Sequence[Result], lines: Lines, style: object) -> list[str]:
    """The lines of one file's results, grouped by query, readings shown where they differ."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.name, []).append(result)
    readings = list(dict.fromkeys(r.reading for r in results if r.reading is not None))
    out: list[str] = []
    for group in groups.values():
        out += _query_lines(group, readings, lines, style)
    return out


def header(file: str, results: Sequence[Result]) -> str:
    """The file's heading: its name and the readings it is checked under."""
    readings = [r for r in dict.fromkeys(r.reading for r in results if r.reading) if r != BASE]
    return f"{file}  (readings: {', '.join(readings)})" if readings else file


def _query_lines(group: list[Result], readings: list[str], lines: Lines, style: object) -> list[str]:
    base = next((r for r in group if r.reading == BASE), None)
    if base is None:  # a reading's own lemma
        first = group[0]
        return lines(first, style, aside=f"only in reading {first.reading}") + \
            [line for r in group[1:] for line in _under(r, lines, style)]
    others = [r for r in group if r is not base]
    differ = [r for r in others if r.verdict is not base.verdict or not r.ok]
    same = [r.reading for r in others if r not in differ]
    if not differ:
        aside = "the same under every reading" if others else ""
        return lines(base, style, aside=aside)
    out = lines(base, style, aside="in base")
    for result in differ:
        out += _under(result, lines, style)
    if same:
        out.append(f"      (the same in {', '.join(str(r) for r in same)})")
    return out


def _under(result: Result, lines: Lines, style: object) -> list[str]:
    """A reading's result below base's: `in R: verdict`, its details indented once more."""
    return ["    " + line for line in lines(result, style, title=f"in {result.reading}")]
