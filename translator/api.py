"""The Python API: check specs from a program or a notebook and get the `Run` back.

A front door beside the command line, over the same `pipeline.run` and the
same `Options` record: `check` takes paths or the text of a spec and returns
the `Run` every output reads (`check_text` for text that looks like a
path); `report` writes the HTML page of `alignproof
report`. `audit`, `explore`, `matrix` and `suggest` are the analyses of
LANGUAGE.md §6, each the function its command runs (`premises/audit.py`,
`premises/reports.py`), handing back a record whose `to_json()` is the
command's JSON document. A `Run`, a `Result` and those records show
themselves in a notebook (`_repr_html_`, drawn by `outputs/notebook.py`
and `outputs/notebook_premises.py`). The top-level module
`alignproof` re-exports these names (`translator.check` is the checker's
subpackage, so `translator` itself does not); docs/api.md is the user's
reference.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Union

from .check.results import Result, Run, Verdict
from .options import Limits, Options

if TYPE_CHECKING:
    from .premises.findings import Audit
    from .premises.reports import Explored, Matrixed, Suggested
    from .progress import Progress

__all__ = ["Limits", "Options", "Result", "Run", "Verdict", "audit", "check", "check_text", "explore", "matrix",
           "report", "suggest"]

Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]

TEXT_NAME = "<text>.align"
"""The path a spec given as text is checked under, unless the caller names one."""

Source = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]


def check(source: Source, *, claims: Iterable[str] = (), timeout: float | None = None,
          jobs: int | None = None, options: Options | None = None, name: str = TEXT_NAME,
          all_symbols: bool = False, progress: Progress | None = None) -> Run:
    """Check spec files, directories, or the text of a spec; the `Run` with every result.

    `source` is a path (a `str` naming an existing file or directory, or ending in
    `.align`; any `os.PathLike`), a list of paths, or else the text of a spec, checked
    as if it were the file `name` (its imports are relative to that file's directory:
    the working directory by default). `claims`, `timeout` and `jobs` are `check`'s
    `--claim`, `--timeout` and `--jobs` (by default every claim, 10 seconds, and all
    in this process); `options` gives every other setting (`timeout`, `claims` and
    `jobs` given here override its own). `all_symbols`: models show every symbol.
    Bad input never raises: the `Run` holds the errors (`run.input_error`,
    `run.diagnostics`).
    """
    paths, texts = _sources(source, name)
    return _check(paths, texts, _options(options, claims, timeout, jobs), all_symbols, progress)


def check_text(text: str, *, name: str = TEXT_NAME, claims: Iterable[str] = (), timeout: float | None = None,
               jobs: int | None = None, options: Options | None = None, all_symbols: bool = False,
               progress: Progress | None = None) -> Run:
    """`check` of the text of a spec, however it looks (`check` reads a one-line text that ends in
    `.align` as a path); checked as if it were the file `name`."""
    path = os.path.normpath(name)
    return _check([path], {path: text}, _options(options, claims, timeout, jobs), all_symbols, progress)


def _check(paths: list[str], texts: dict[str, str], options: Options, all_symbols: bool,
           progress: Progress | None) -> Run:
    if texts and (options.record or options.cached or options.strict_records):
        raise ValueError("proof records belong to spec files: save the text as a .align file to record it")
    from .pipeline import run as run_pipeline
    from .progress import SILENT
    outcome = run_pipeline(paths, options, programs_needed=True, progress=progress or SILENT, texts=texts)
    if all_symbols:
        outcome = replace(outcome, results=tuple(r.showing_everything() for r in outcome.results))
    return outcome


def audit(paths: Paths, *, max_cores: int = 8,
          timeout: float | None = None, jobs: int | None = None, options: Options | None = None) -> Audit:
    """`alignproof audit` of spec files or directories: the check `Run` it started from (`.run`)
    and per program each axiom's independence, each proved claim's minimal premise sets, the
    idle axioms, circular or vacuous premise sets, or the conflicts and repairs of inconsistent
    axioms (`.programs`). Bad input never raises: `.run` holds the errors."""
    _at_least_one(max_cores=max_cores)
    from .premises.audit import audit as audit_paths
    return audit_paths(_paths(paths), _options(options, (), timeout, jobs), max_cores)


def explore(source: Source, *, sort: str | None = None, defs: Iterable[str] | None = None, joins: int = 2,
            preds: bool = False, atoms: bool = False, timeout: float | None = None, rlimit: int | None = None,
            jobs: int | None = None, options: Options | None = None, name: str = TEXT_NAME) -> Explored:
    """`alignproof explore` of spec files or directories, or of the text of a spec (read as `check` reads
    `source`, checked as the file `name`): one exploration per file and sort (`.explorations`:
    the minimal implications between the unary definitions over the sort with up to `joins` hypotheses,
    the equivalences, the diagram, the claims stated, and a re-checked world for every implication that
    fails). `sort`, `defs`, `preds`, `atoms`, `rlimit` and `jobs` are the command's options (`jobs`: 1,
    each answer choosing the next question, unless `options` says otherwise). Bad input never raises:
    `.run` holds the errors, `.usage` a sort or definition that names nothing to explore."""
    _at_least_one(joins=joins)
    from .check.checker import CheckOptions
    from .premises.explore import ExploreOptions
    from .premises.reports import explore_paths
    chosen = _options(options, (), timeout, jobs)
    chosen_defs = None if defs is None else ((defs,) if isinstance(defs, str) else tuple(defs))
    explore_options = ExploreOptions(sort=sort, defs=chosen_defs, joins=joins, preds=preds, atoms=atoms,
                                     check=CheckOptions(timeout=chosen.timeout,
                                                        rlimit=rlimit if rlimit is not None else chosen.rlimit),
                                     jobs=chosen.jobs)
    paths, texts = _sources(source, name)
    return explore_paths(paths, explore_options, chosen.allow_import_outside, texts)


def matrix(source: Source, *, claims: Iterable[str] = (), timeout: float | None = None, jobs: int | None = None,
           options: Options | None = None, name: str = TEXT_NAME) -> Matrixed:
    """`alignproof matrix` of spec files or directories, or of the text of a spec (as for `check`):
    every claim checked under base and each reading
    (`.run`), the claims x readings table, what each cell differing from base rests on, the sentinels,
    and each definition two readings word differently compared under the shared axioms (`.matrix`).
    Bad input never raises: `.run` holds the errors."""
    from .premises.reports import matrix_paths
    paths, texts = _sources(source, name)
    return matrix_paths(paths, _options(options, claims, timeout, jobs), texts)


def suggest(source: Source, claim: str, *, drop: Iterable[str] = (), limit: int = 5, size: int = 3,
            timeout: float = 30.0, sources: Iterable[str] | None = None, options: Options | None = None,
            name: str = TEXT_NAME) -> Suggested:
    """`alignproof suggest` of spec files or the text of a spec (as for `check`): premises that
    would prove `claim` (a claim of the files), each verified,
    weakest first (`.report`; `.proved` when the checker proves the claim already). `drop`, `limit`
    (`--max`), `size`, `timeout` (the whole search) and `sources` (`"enumerator"`, `"cvc5"`) are the
    command's options. Advice, never a verdict; nothing is recorded. Bad input never raises: `.run` holds
    the errors, `.usage` a claim or axiom the files do not have."""
    _at_least_one(limit=limit, size=size)
    if not timeout > 0:
        raise ValueError("timeout must be a positive number of seconds")
    from .premises.reports import suggest_paths
    from .premises.suggest.search import SOURCES, SuggestOptions
    chosen = tuple(sources) if sources is not None else SOURCES
    unknown = sorted(set(chosen) - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown source {unknown[0]!r}: the sources are {', '.join(SOURCES)}")
    dropped = (drop,) if isinstance(drop, str) else tuple(drop)
    search = SuggestOptions(limit=limit, max_size=size, timeout=float(timeout), sources=chosen)
    allow = (options or Options()).allow_import_outside
    paths, texts = _sources(source, name)
    return suggest_paths(paths, claim, dropped, search, allow, texts=texts)


def report(run: Run, target: str | os.PathLike[str] | None = None) -> str:
    """The HTML page `alignproof report` writes for `run` (a `Run` from `check`); also written to
    `target` when given."""
    from .outputs.html import render_page
    page = render_page(run, list(dict.fromkeys(r.file for r in run.results)))
    if target is not None:
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(page)
    return page


def _options(options: Options | None, claims: Iterable[str], timeout: float | None, jobs: int | None
             ) -> Options:
    chosen = options or Options()
    if isinstance(claims, str):
        claims = (claims,)
    if claims:
        chosen = replace(chosen, claims=tuple(claims))
    if timeout is not None:
        chosen = replace(chosen, timeout=float(timeout))
    if jobs is not None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        chosen = replace(chosen, jobs=jobs)
    return chosen


def _paths(paths: Paths) -> list[str]:
    listed = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [os.fspath(p) for p in paths]
    if not listed:
        raise ValueError("nothing to analyse: give a path or a list of paths")
    return listed


def _at_least_one(**counts: int) -> None:
    for name, value in counts.items():
        if value < 1:
            raise ValueError(f"{name} must be at least 1")


def _sources(source: Source, name: str) -> tuple[list[str], dict[str, str]]:
    """The paths to check, and the texts given for some of them (by path)."""
    if isinstance(source, str) and not _is_path(source):
        path = os.path.normpath(name)
        return [path], {path: source}
    if isinstance(source, (str, os.PathLike)):
        return [os.fspath(source)], {}
    paths = [os.fspath(p) for p in source]
    if not paths:
        raise ValueError("nothing to check: give a path, a list of paths or the text of a spec")
    return paths, {}


def _is_path(text: str) -> bool:
    """Whether a string names a path rather than holding a spec: one line, and an existing
    file or directory or a name ending in `.align`."""
    if not text or "\n" in text or "\0" in text:
        return False
    return text.strip().endswith(".align") or os.path.exists(text)
