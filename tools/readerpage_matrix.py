"""The reader's page: the claims × readings matrix of a spec file (`premises/matrix.py`).

`build` asks, once per page, the questions `alignproof matrix` asks of the run
the page was made from (are two readings' wordings of a definition equivalent
under their shared axioms?); `fill` writes

    {{matrix:STEM}}       STEM.align's table: a row per claim and example, a column per reading
                          (✗ where the expectation is not met, * where the verdict differs from base)
    {{differences:STEM}}  every definition two readings word differently: equivalent (with the
                          axioms used) or the world where the wordings differ, as `matrix` prints it

A `{{matrix:STEM}}` mentions every result of STEM.align under every reading.
"""
from __future__ import annotations

from pathlib import Path

from translator.check.results import Run
from translator.check.stack import check_options, solver
from translator.options import Options
from translator.outputs import matrix_text
from translator.premises.matrix import Matrix
from translator.premises.matrix import build as build_matrix

KINDS = ("matrix", "differences")


class MatrixError(Exception):
    """The placeholder names no file with readings."""


def build(run: Run, options: Options) -> Matrix | None:
    """The matrix of a checked run, or None when no program of it has readings."""
    if run.input_error or not any(p.variants for p in run.programs):
        return None
    asking = solver(options)
    try:
        return build_matrix(run, asking, check_options(options))
    finally:
        asking.close()


def fill(kind: str, stem: str, matrix: Matrix, mentioned: set) -> str:
    file = next((f for f in matrix.files if Path(f.file).stem == stem and f.readings), None)
    if file is None:
        raise MatrixError(f"names no spec file with readings ({stem}.align)")
    if kind == "matrix":
        for row in file.rows:
            for cell in row.cells:
                name = row.name if cell.reading == "base" else f"{row.name}[{cell.reading}]"
                mentioned.add(("claim", (stem, name)))
        return matrix_text.table_md(file)
    lines = [line for d in matrix.differences if d.file == file.file
             for line in matrix_text.difference_lines(matrix, d, "")]
    return "```\n" + "\n".join(lines) + "\n```"
