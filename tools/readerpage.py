"""The reader's page of spec/: `spec/README.in.md` filled in with the checker's answers.

A consumer of the pipeline's `Run`, like the command line: it runs the pipeline
on the spec directory once, takes the JSON document of LANGUAGE.md §5 from
`outputs.text.json_document` (the very document `check --format json` prints)
and the run's programs and results, and replaces each placeholder of the
hand-written template with what they say. No verdict on the page is typed by hand,
and no excerpt of a spec either: `{{source:...}}` copies it from the file checked.

The excerpts are fenced as ```` ```align ````, the alias of the project's Pygments
lexer (`translator/outputs/highlight.py`, an entry point): a renderer that
highlights with Pygments (MkDocs, Sphinx with MyST, `pygmentize` on the page)
colours them where alignproof is installed. GitHub's renderer colours only the
languages it knows itself and strips colour given in HTML, so there the
excerpts show as plain monospaced text, still copyable into a spec.

Placeholders (STEM is a file name without `.align`, NAME a claim, example or axiom):

    {{verdict:STEM:NAME}}  the verdict, ✓ if it met the spec's expectation, else ✗ and what was expected
    {{used:STEM:NAME}}     the axioms a proof used (its unsat core)
    {{found:STEM:NAME}}    for a counterexample: each atom of the claim, true or false in the reported model
    {{claim:STEM:NAME}}    the claim's name, linked to its line
    {{axiom:STEM:NAME}}    an axiom's name (STEM: the file declaring it), linked to its line
    {{usedby:STEM:NAME}}   how many proofs of spec/ used that axiom
    {{rejected:PATH}}      the checker's first error for PATH (relative to the spec directory)
    {{source:STEM:NAMES}}  the declarations NAMES (comma-separated definitions, axioms, claims or
                           examples of STEM.align) as the file states them, doc comments included,
                           in one ```align fence: on a line of its own
    {{summary}}            the totals of the run
    {{suggest:...}}, {{recovers:...}}  a claim's missing premise (tools/readerpage_suggest.py)
    {{matrix:STEM}}, {{differences:STEM}}  the claims x readings table of STEM.align and its wordings
                           compared (tools/readerpage_matrix.py)

NAME may be `NAME[READING]`: the result under that reading (`NAME` alone is the one under base).

and those read from the audit's JSON document (tools/readerpage_audit.py):
{{cores:STEM:NAME}}, {{givesback:STEM:NAME}}, {{neededby:STEM:NAME}}, {{audit}};
and {{explore:STEM}}, read from explore's JSON document (tools/readerpage_explore.py).

A placeholder that names nothing is an error (exit 2) and nothing is written.
Claims, examples and axioms the template never mentions are listed as warnings.

    python3 -m tools.readerpage spec/            # write spec/README.md
    python3 -m tools.readerpage spec/ --check    # exit 1 if spec/README.md is out of date
"""
from __future__ import annotations

import argparse
import difflib
import functools
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translator.check.results import Result, Verdict
from translator.frontend.diagnostics import render
from translator.frontend.lexer import is_heading
from translator.frontend.source import SourceFile, Span
from translator.logic import core
from translator.logic.evaluate import evaluate
from translator.logic.expand import Fresh
from translator.logic.shapes import at_witness
from translator.outputs.audit import json_document as audit_document
from translator.outputs.text import json_document
from translator.pipeline import Options, run
from translator.premises.audit import audit
from translator.premises.matrix import Matrix

from . import readerpage_audit, readerpage_explore, readerpage_matrix, readerpage_suggest
from .readerpage_audit import AuditError, AuditIndex

TEMPLATE, PAGE = "README.in.md", "README.md"
COMMAND = "python3 -m tools.readerpage spec/"
HEADER = (f"<!-- Generated from spec/README.in.md and the checker's JSON output by `{COMMAND}`. "
          "Do not edit: edit README.in.md and regenerate. -->\n")
PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

Key = tuple[str, str]  # (file stem, name)


class PageError(Exception):
    """The page cannot be made: the template names nothing, or the specs do not check."""


@dataclass
class Library:
    """What the checker said about a spec directory, indexed for the template."""

    spec_dir: Path
    document: dict                                              # the JSON document of LANGUAGE.md §5
    results: dict[Key, dict] = field(default_factory=dict)      # JSON results by (stem, name)
    records: dict[Key, Result] = field(default_factory=dict)    # the same results, as records
    queries: dict[Key, tuple[core.Query, core.Program]] = field(default_factory=dict)
    axioms: dict[Key, core.Axiom] = field(default_factory=dict)  # keyed by the declaring file
    used_by: Counter = field(default_factory=Counter)           # axiom key -> proofs that used it
    declared: dict[Key, Span] = field(default_factory=dict)     # definitions, axioms and queries, by file
    sources: dict[str, SourceFile] = field(default_factory=dict)
    audit: AuditIndex | None = None                             # the audit's JSON document
    suggestions: dict = field(default_factory=dict)             # suggest's reports, made once (readerpage_suggest)
    explorations: dict = field(default_factory=dict)            # explore JSON by spec (readerpage_explore)
    matrix: Matrix | None = None                                # the claims x readings (readerpage_matrix)


@dataclass(frozen=True)
class Page:
    """The generated text, and what the template never mentions."""

    text: str
    unmentioned: tuple[str, ...]


def stem(path: str) -> str:
    return Path(path).stem


def named(name: str, reading: str | None) -> str:
    """A result's name on the page: `NAME` under base, `NAME[READING]` under another reading (as the
    pytest plugin names its items)."""
    return name if reading in (None, "base") else f"{name}[{reading}]"


# ---------------------------------------------------------------- running the checker

def load_library(spec_dir: str | Path, options: Options = Options()) -> Library:
    """Audit (and so check) every spec of `spec_dir` once; raise PageError if the input cannot be checked."""
    spec_dir = Path(spec_dir)
    audited = audit([str(spec_dir)], options)
    outcome = audited.run
    if outcome.input_error:
        raise PageError("\n".join(render(d, outcome.sources) for d in outcome.diagnostics))
    library = Library(spec_dir, json_document(outcome), sources=dict(outcome.sources),
                      audit=AuditIndex.of(audit_document(audited)), matrix=readerpage_matrix.build(outcome, options))
    library.results = {(stem(r["file"]), named(r["name"], r.get("reading"))): r for r in library.document["results"]}
    library.records = {(stem(r.file), named(r.name, r.reading)): r for r in outcome.results}
    declared: dict[str, dict[str, Key]] = {}  # program root stem -> axiom name -> key
    for program in (v for p in outcome.programs for v in (p, *p.variants)):
        for query in program.queries:
            library.queries[(stem(query.file), named(query.name, program.reading))] = (query, program)
        spans = [(d.name, d.span) for d in program.definitions] + [(a.name, a.span) for a in program.axioms] \
            + [(q.name, q.span) for q in program.queries]
        for name, span in spans:
            if span is not None:
                library.declared.setdefault((stem(span.path), name), span)
        names = declared.setdefault(stem(program.root), {})
        for axiom in program.axioms:
            key = (stem(axiom.span.path) if axiom.span else stem(program.root), axiom.name)
            library.axioms[key] = axiom
            names[axiom.name] = key
    for (file, _), result in library.results.items():
        for name in result.get("used", ()):
            library.used_by[declared[file][name]] += 1
    return library


# ---------------------------------------------------------------- placeholders

def render_page(template: str, library: Library, template_name: str = TEMPLATE) -> Page:
    """Fill the template; raise PageError naming every placeholder that names nothing."""
    errors: list[str] = []
    mentioned: set[tuple[str, Key]] = set()

    def fill(match: re.Match, line: int) -> str:
        try:
            return _placeholder(match.group(1).strip(), library, mentioned)
        except PageError as err:
            errors.append(f"{template_name}:{line}: error: {{{{{match.group(1)}}}}}: {err}")
            return match.group(0)

    lines = [PLACEHOLDER.sub(functools.partial(fill, line=n), text)
             for n, text in enumerate(template.splitlines(keepends=True), 1)]
    if errors:
        raise PageError("\n".join(errors))
    every = [("claim", k) for k in library.results] + [("axiom", k) for k in library.axioms]
    unmentioned = tuple(f"{kind} {file}::{name}" for kind, (file, name) in every
                        if (kind, (file, name)) not in mentioned)
    return Page(HEADER + "".join(lines), unmentioned)


def _placeholder(body: str, library: Library, mentioned: set) -> str:
    kind, _, rest = body.partition(":")
    if kind == "summary" and not rest:
        return _summary(library.document)
    if kind == "rejected" and rest:
        return _rejected(library.spec_dir / rest)
    if library.audit is not None and (kind == "audit" and not rest or kind in _AUDIT_KINDS):
        return _audited(kind, rest, library.audit)
    if kind == "source" and rest:
        return _source(rest, library, mentioned)
    if kind in readerpage_matrix.KINDS and rest and library.matrix is not None:
        try:
            return readerpage_matrix.fill(kind, rest, library.matrix, mentioned)
        except readerpage_matrix.MatrixError as err:
            raise PageError(str(err)) from None
    if kind in readerpage_suggest.KINDS and rest:
        try:
            return readerpage_suggest.fill(kind, rest, library, mentioned)
        except readerpage_suggest.SuggestError as err:
            raise PageError(str(err)) from None
    if kind in readerpage_explore.KINDS and rest:
        try:
            return readerpage_explore.fill(kind, rest, library, mentioned)
        except readerpage_explore.ExploreError as err:
            raise PageError(str(err)) from None
    handler = _CLAIM_KINDS.get(kind) or _AXIOM_KINDS.get(kind)
    file, _, name = rest.partition(":")
    if handler is None or not file or not name:
        raise PageError("not a placeholder; known: " + ", ".join(
            [f"{k}:STEM:NAME" for k in (*_CLAIM_KINDS, *_AXIOM_KINDS, *_AUDIT_KINDS)]
            + ["source:STEM:NAME,...", "rejected:PATH", "summary", "audit"]))
    key = (file, name)
    if kind in _CLAIM_KINDS:
        result = library.results.get(key) or _no_such(key, library.results, "claim or example")
        mentioned.add(("claim", key))
        return _CLAIM_KINDS[kind](result, key, library)
    axiom = library.axioms.get(key) or _no_such(key, library.axioms, "axiom")
    mentioned.add(("axiom", key))
    return _AXIOM_KINDS[kind](axiom, key, library)


def _audited(kind: str, rest: str, index: AuditIndex) -> str:
    file, _, name = rest.partition(":")
    try:
        return readerpage_audit.totals(index) if kind == "audit" else _AUDIT_KINDS[kind](index, (file, name))
    except AuditError as err:
        raise PageError(str(err)) from None


def _no_such(key: Key, known: dict, what: str):
    names = [f"{f}:{n}" for f, n in known]
    close = difflib.get_close_matches(f"{key[0]}:{key[1]}", names, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise PageError(f"names no {what} of the spec directory ({key[0]}.align :: {key[1]}){hint}")


def _verdict(result: dict, key: Key, library: Library) -> str:
    text = f"{result['verdict']} ✓" if result["ok"] else f"**{result['verdict']} ✗ (expected {result['expected']})**"
    for warning in result.get("warnings", ()):
        text += f" ⚠ {warning}"
    return text


def _used(result: dict, key: Key, library: Library) -> str:
    if result["verdict"] != "proved":
        return "—"
    return ", ".join(f"`{name}`" for name in result["used"]) or "none (valid on its own)"


def _claim(result: dict, key: Key, library: Library) -> str:
    query, _ = library.queries[key]
    return _link(key[1], query.span, library.spec_dir)


def _axiom(axiom: core.Axiom, key: Key, library: Library) -> str:
    return _link(key[1], axiom.span, library.spec_dir)


def _used_by(axiom: core.Axiom, key: Key, library: Library) -> str:
    count = library.used_by[key]
    return f"{count} proof{'s' if count != 1 else ''}"


def _link(name: str, span: Span | None, spec_dir: Path) -> str:
    """`name` linked to its line, relative to the page (which lives in the spec directory)."""
    if span is None:
        return f"`{name}`"
    return f"[`{name}`]({Path(os.path.relpath(span.path, spec_dir)).as_posix()}#L{span.line})"


def _summary(document: dict) -> str:
    s, errors = document["summary"], len(document["errors"])
    axioms = "the axioms of every file are consistent" if not errors else f"**{errors} error(s)**"
    return f"{s['total']} claims and examples checked: {s['ok']} as expected, {s['failed']} not; {axioms}"


def _rejected(path: Path) -> str:
    if not path.is_file():
        raise PageError(f"no such file: {path}")
    document = json_document(run([str(path)]))
    if not document["errors"]:
        return "**accepted** (no error)"
    error = document["errors"][0]
    return f"rejected, `{error['code']}` at line {error['line']}: {error['message']}"


# ---------------------------------------------------------------- excerpts

def _source(rest: str, library: Library, mentioned: set) -> str:
    """The declarations named, each with its doc comment, as one ```align fence."""
    file, _, names = rest.partition(":")
    keys = [(file, name.strip()) for name in names.split(",")]
    if not file or not all(name for _, name in keys):
        raise PageError("names no declaration; write {{source:STEM:NAME}} or {{source:STEM:NAME,NAME}}")
    parts = []
    for key in keys:
        span = library.declared.get(key) or _no_such(key, library.declared, "declaration")
        if key in library.results:
            mentioned.add(("claim", key))
        if key in library.axioms:
            mentioned.add(("axiom", key))
        parts.append(_declaration_text(library.sources[span.path], span))
    return "```align\n" + "\n\n".join(parts) + "\n```"


def _declaration_text(source: SourceFile, span: Span) -> str:
    """The lines of a declaration, and above them its doc comment as the parser reads it: the comment
    lines directly above, up to a blank line or a heading."""
    first = span.line
    while first > 1 and source.line(first - 1).lstrip().startswith("#") \
            and not is_heading(source.line(first - 1).lstrip()[1:]):
        first -= 1
    return "\n".join(source.line(n) for n in range(first, span.end_line + 1)).rstrip()


# ---------------------------------------------------------------- counterexamples in words

def _found(document: dict, key: Key, library: Library) -> str:
    """Each atom of a refuted claim (its hypotheses and conclusions), judged in the reported model."""
    result = library.records[key]
    if result.verdict is not Verdict.COUNTEREXAMPLE or result.model is None:
        return "—"
    query, _ = library.queries[key]
    body, env = at_witness(query, result.witness or {}, Fresh(1 << 40))
    facts: dict[str, str] = {}
    for atom in _atoms(body):
        value = evaluate(atom, result.model, env)
        facts.setdefault(_source_text(atom, library.sources), _word(value))
    return ", ".join(f"`{text}` {word}" for text, word in facts.items())




def _atoms(term: core.Term) -> list[core.Term]:
    """The maximal sub-formulas that are not connectives, left to right."""
    if isinstance(term, (core.Not, core.And, core.Or, core.Implies, core.Iff)):
        return [atom for child in core.children(term) for atom in _atoms(child)]
    return [term]


def _source_text(term: core.Term, sources: dict[str, SourceFile]) -> str:
    span = term.span
    source = sources.get(span.path) if span is not None else None
    if span is None or source is None:
        return type(term).__name__
    lines = [source.line(n) for n in range(span.line, span.end_line + 1)]
    lines[-1] = lines[-1][:span.end_column - 1]
    lines[0] = lines[0][span.column - 1:]
    return " ".join(" ".join(lines).split())


def _word(value) -> str:
    return "true" if value is True else "false" if value is False else "undecided"


_CLAIM_KINDS = {"verdict": _verdict, "used": _used, "found": _found, "claim": _claim}
_AXIOM_KINDS = {"axiom": _axiom, "usedby": _used_by}
_AUDIT_KINDS = {**readerpage_audit.CLAIM_KINDS, **readerpage_audit.AXIOM_KINDS}


# ---------------------------------------------------------------- the command

def generate(spec_dir: str | Path, library: Library | None = None) -> Page:
    """The page for `spec_dir` (checking it, unless a library is given)."""
    library = library or load_library(spec_dir)
    template = (Path(spec_dir) / TEMPLATE).read_text(encoding="utf-8")
    return render_page(template, library, str(Path(spec_dir) / TEMPLATE))


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, compare) `SPEC_DIR/README.md`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python3 -m tools.readerpage", description=__doc__.split("\n")[0])
    parser.add_argument("spec_dir", nargs="?", default="spec", help="the spec directory (default: spec)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if README.md is out of date")
    args = parser.parse_args(argv)
    try:
        library = load_library(args.spec_dir)
        page = generate(args.spec_dir, library)
    except (PageError, OSError) as err:
        print(f"readerpage: {err}", file=sys.stderr)
        return EXIT_INPUT
    for missing in page.unmentioned:
        print(f"readerpage: warning: {TEMPLATE} never mentions {missing}", file=sys.stderr)
    target = Path(args.spec_dir) / PAGE
    status = EXIT_OK
    if library.document["errors"] or library.document["summary"]["failed"]:
        print("readerpage: warning: some results are not as expected; see the page", file=sys.stderr)
        status = EXIT_FAILED
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != page.text:
            print(f"readerpage: {target} is out of date; regenerate with `{COMMAND}`", file=sys.stderr)
            return EXIT_FAILED
        return status
    target.write_text(page.text, encoding="utf-8")
    print(f"readerpage: wrote {target}", file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
