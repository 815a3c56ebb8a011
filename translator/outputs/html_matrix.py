"""Outputs: the claims × readings matrix as HTML, in the report and as `alignproof matrix --format html`.

`section(page, file, results)` is the report's part for a file with readings
(called from one line of `html.py`): the table of cells, each counterexample
or witness cell linking to the world the page already shows for that result,
what each cell that differs from base rests on, the sentinels, and the
definitions two readings word differently, compared through the checker in
this process (`premises/matrix.py`), each world where two wordings differ
shown in place. `page(matrix)` is one self-contained document of a `Matrix`
for the matrix command. Neither decides a verdict.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..check.checker import CheckOptions
from ..check.results import Result, Verdict
from ..check.stack import InProcess
from ..logic.model import value_to_text
from ..premises.matrix import Cell, FileMatrix, Matrix, World, build_files, compare
from . import html as report  # the report's page and helpers (this module is imported by it)

Link = Callable[[str, Cell], str | None]


def section(page: report.Page, file: str, results: Sequence[Result]) -> list[str]:
    """The matrix of `file` for the report; nothing for a file without readings."""
    program = next((p for p in page.programs if p.root == file), None)
    if program is None or not program.readings:
        return []
    worlds: list[World] = []
    (matrix,) = build_files(page.run, [program], worlds)
    differences = compare([program], InProcess(), CheckOptions(), worlds)
    whole = Matrix((matrix,), tuple(differences), tuple(worlds))

    def link(reading: str, cell: Cell) -> str | None:
        target = "cex" if cell.result.verdict is Verdict.COUNTEREXAMPLE else "witness"
        return f"#{target}-{page.anchor(cell.result)}" if cell.world is not None else None

    return ["<h3>Readings</h3>", *_file_parts(whole, matrix, link)]


def page(matrix: Matrix) -> str:
    """The matrix as one HTML document, its worlds on the page."""
    body = ["<header><h1>alignproof matrix</h1>",
            f'<p class="summary {"good" if matrix.ok else "bad"}">{_esc(summary_text(matrix))}</p></header>',
            *files_parts(matrix)]
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>alignproof matrix</title>\n<style>{report.CSS}{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def files_parts(matrix: Matrix) -> list[str]:
    """Per file: its table, notes, compared wordings and the worlds of its cells (the page's body, and
    the notebook's display of a matrix)."""
    body = []
    for file in matrix.files:
        body += [f'<section class="file" id="file-{_slug(file.file)}"><h2>{_esc(file.file)}</h2>',
                 *_file_parts(matrix, file, _world_link)]
        cells = [c for row in file.rows for c in row.cells if c.world is not None]
        if cells:
            body.append("<h3>Worlds</h3>")
            body += [_world(w) for c in cells if (w := matrix.world(c.world or "")) is not None]
        body.append("</section>")
    return body


def _world_link(reading: str, cell: Cell) -> str | None:
    return f"#world-{_slug(cell.world)}" if cell.world else None


def summary_text(matrix: Matrix) -> str:
    doc = matrix.to_json()["summary"]
    return (f"{doc['cells']} cells: {doc['ok']} ok, {doc['failed']} failed; {doc['differences']} wordings "
            f"compared, {doc['equivalent']} equivalent")


def _file_parts(matrix: Matrix, file: FileMatrix, link: Link) -> list[str]:
    head = "<tr><th></th>" + "".join(f"<th>{_esc(n)}</th>" for n in file.names) + "</tr>"
    rows = []
    for row in file.rows:
        name = _esc(f"{row.kind} {row.name}") + (' <span class="kind">sentinel</span>' if row.sentinel else "")
        cells = "".join(_cell(row.cell(n), link) for n in file.names)
        rows.append(f"<tr><td>{name}</td>{cells}</tr>")
    out = [f'<table class="results matrix"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>']
    notes = [f"<li><code>{_esc(row.name)}</code> in <b>{_esc(c.reading)}</b>: {_esc(c.result.verdict.value)}; "
             f"rests on {_esc(c.involved.text())}</li>"
             for row in file.rows for c in row.cells if c.involved is not None]
    for row in (r for r in file.rows if r.sentinel):
        proving = [c.reading for c in row.cells if c.result.verdict in (Verdict.PROVED, Verdict.BOUNDED)]
        notes.append(f"<li>sentinel <code>{_esc(row.name)}</code>: " +
                     (f'<span class="bad">proved in {_esc(", ".join(proving))}</span> (that reading proves too much)'
                      if proving else "proved by no reading") + "</li>")
    if notes:
        out.append(f'<ul class="matrix-notes">{"".join(notes)}</ul>')
    differences = [d for d in matrix.differences if d.file == file.file]
    if differences:
        out.append("<h4>Definitions the readings word differently</h4><ul class=\"matrix-notes\">")
        for d in differences:
            what = f"<code>{_esc(d.definition)}</code>: {_esc(d.readings[0])} vs {_esc(d.readings[1])}: "
            if d.equivalent:
                used = ", ".join(d.used) or "nothing"
                out.append(f'<li>{what}<span class="good">equivalent</span> under the shared axioms '
                           f"(used: {_esc(used)})</li>")
            elif d.equivalent is False and d.world is not None:
                world = matrix.world(d.world)
                out.append(f'<li>{what}<span class="bad">they differ</span>{_world(world) if world else ""}</li>')
            else:
                out.append(f"<li>{what}unknown ({_esc(d.reason)})</li>")
        out.append("</ul>")
    return out


def _cell(cell: Cell | None, link: Link) -> str:
    if cell is None:
        return "<td>—</td>"
    verdict = cell.result.verdict.value
    badge = f'<span class="verdict v-{verdict}">{_esc(verdict)}</span>'
    target = link(cell.reading, cell)
    if target is not None:
        badge = f'<a href="{_esc(target)}">{badge}</a>'
    marks = ('' if cell.result.ok else ' <span class="bad">✗</span>') + \
        (' <span class="differs" title="differs from base">*</span>' if cell.differs else "")
    return f'<td class="{"ok" if cell.result.ok else "failed"}">{badge}{marks}</td>'


def _world(world: World) -> str:
    result = world.result
    lines = []
    if result.witness:
        lines.append("where " + ", ".join(f"{k} = {value_to_text(v)}" for k, v in result.witness.items()))
    if result.explanation is not None:
        lines += result.explanation.lines("")
    return (f'<div class="model" id="world-{_slug(world.id)}"><h4>{_esc(world.about)} '
            f"({_esc(' vs '.join(world.readings))})</h4><pre>{_esc(chr(10).join(lines))}</pre></div>")


def _esc(text: object) -> str:
    return report.esc(text)


def _slug(text: str) -> str:
    return report.slug(text)


CSS = """
table.matrix td, table.matrix th { text-align: left; }
.differs { color: #b45309; font-weight: 700; }
.matrix-notes li { margin: 4px 0; }
"""
