"""Outputs: the claims × readings matrix (`premises/matrix.py`) as text and as Markdown tables.

Per file: a table with a row per query and a column per reading (the verdict,
`✗` where the expectation is not met, `*` where it differs from base), then
what each differing cell rests on, the sentinels and the readings that prove
them, and every pair of wordings compared: equivalent (with the axioms used),
a world where they differ (its witness and the values that tell the two
apart), or unknown with the solver's reason. It reads the `Matrix` only.
"""
from __future__ import annotations

from typing import TextIO

from ..check.results import Verdict
from ..logic.model import value_to_text
from ..premises.matrix import Cell, Difference, FileMatrix, Matrix, World


def write_text(matrix: Matrix, out: TextIO) -> None:
    for file in matrix.files:
        print(file.file, file=out)
        print(_table(file, markdown=False), file=out)
        for line in _notes(matrix, file, indent="  "):
            print(line, file=out)
    print(_summary(matrix), file=out)


def write_md(matrix: Matrix, out: TextIO) -> None:
    for file in matrix.files:
        print(f"### `{file.file}`\n", file=out)
        print(_table(file, markdown=True) + "\n", file=out)
        for line in _notes(matrix, file, indent="- "):
            print(line, file=out)
        print(file=out)
    print(_summary(matrix), file=out)


def table_md(file: FileMatrix) -> str:
    """One file's claims × readings as a Markdown table."""
    return _table(file, markdown=True)


def cell_text(cell: Cell | None) -> str:
    """A cell as one word and its marks: `✗` expectation not met, `*` differs from base."""
    if cell is None:
        return "-"
    marks = ("" if cell.result.ok else " ✗") + (" *" if cell.differs else "")
    return cell.result.verdict.value + marks


def _table(file: FileMatrix, markdown: bool) -> str:
    head = ["", *file.names]
    rows = [[f"{row.kind} {row.name}" + (" (sentinel)" if row.sentinel else ""),
             *(cell_text(row.cell(n)) for n in file.names)] for row in file.rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows])


def _notes(matrix: Matrix, file: FileMatrix, indent: str) -> list[str]:
    lines = []
    for row in file.rows:
        base = row.cell("base")
        for cell in row.cells:
            if cell.involved is not None:
                lines.append(f"{indent}{row.name} in {cell.reading}: {cell.result.verdict.value} "
                             f"(base: {base.result.verdict.value if base else '-'}); "
                             f"rests on {cell.involved.text()}")
    for row in file.rows:
        if row.sentinel:
            proving = [c.reading for c in row.cells if c.result.verdict in (Verdict.PROVED, Verdict.BOUNDED)]
            lines.append(f"{indent}sentinel {row.name}: " + (f"proved in {', '.join(proving)}: "
                                                             "that reading proves too much" if proving
                                                             else "proved by no reading"))
    for difference in (d for d in matrix.differences if d.file == file.file):
        lines += difference_lines(matrix, difference, indent)
    return lines


def difference_lines(matrix: Matrix, difference: Difference, indent: str) -> list[str]:
    a, b = difference.readings
    head = f"{indent}{difference.definition}: {a} vs {b}: "
    if difference.equivalent:
        used = ", ".join(difference.used) or "nothing"
        return [head + f"equivalent under the shared axioms (used: {used})"]
    if difference.equivalent is False and difference.world is not None:
        world = matrix.world(difference.world)
        return [head + f"they differ (world {difference.world})", *_world_lines(world, indent)]
    return [head + f"unknown ({difference.reason})"]


def _world_lines(world: World | None, indent: str) -> list[str]:
    if world is None:
        return []
    pad = " " * len(indent) + "    "
    result = world.result
    lines = []
    if result.witness:
        lines.append(pad + "where " + ", ".join(f"{k} = {value_to_text(v)}" for k, v in result.witness.items()))
    if result.explanation is not None:
        lines += result.explanation.lines(pad)
    return lines


def _summary(matrix: Matrix) -> str:
    doc = matrix.to_json()["summary"]
    return (f"{doc['cells']} cells: {doc['ok']} ok, {doc['failed']} failed; {doc['differences']} wordings compared, "
            f"{doc['equivalent']} equivalent")
