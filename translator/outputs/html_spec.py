"""`alignproof report`: the spec text on the page, in colour.

A part of `html.py`'s page: formulas, definitions and signatures printed in
the spec's notation (`inline`), and each checked file's source under its
results (`source_section`), coloured by the Pygments lexer of
`highlight.py` and styled by `css()`. Text that names model elements
(`Agent#0`) is not spec syntax and stays plain: the lexer would read `#` as
a comment. The source is the text the run read (`Run.sources`), so the page
shows exactly what was checked.
"""
from __future__ import annotations

import html

from ..check.results import Run
from .highlight import highlight_html, highlight_inline, html_css

CSS_CLASS = "hl"


def inline(text: str) -> str:
    """A formula or signature as coloured `<code>`."""
    return highlight_inline(text, cssclass=CSS_CLASS)


def source_section(run: Run, file: str, anchor: str) -> list[str]:
    """The file's source, folded, with its line count; nothing if the run did not read it."""
    source = run.sources.get(file)
    if source is None or not source.text.strip():
        return []
    lines = source.text.count("\n") + (not source.text.endswith("\n"))
    return [f'<details class="source" id="source-{anchor}"><summary>The spec file '
            f"<code>{html.escape(file)}</code> ({lines} line{'s' if lines != 1 else ''})</summary>"
            f"{highlight_html(source.text, cssclass=CSS_CLASS + ' spec-source')}</details>"]


def css() -> str:
    """The colours of the lexer's tokens, and how the blocks sit on the page."""
    return html_css(CSS_CLASS) + """
code.hl { background: none; }
.spec-source pre { max-height: 36em; overflow: auto; padding: 8px 12px; border: 1px solid var(--line, #d9dee6);
                   border-radius: 6px; white-space: pre; }
"""
