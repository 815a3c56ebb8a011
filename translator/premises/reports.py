"""The §6 analyses `explore`, `matrix` and `suggest` from paths to one record each, for their command and the API.

Each function here is what its command runs between reading its arguments
and writing its output (`cli/explore.py`, `cli/matrix.py`, `cli/suggest.py`
call it, and so does `translator/api.py`): the front end or the check, the
analysis, and the errors met on the way. It hands on a frozen record holding
the `Run` the analysis started from (its diagnostics, sources and programs),
the findings, and a usage error for arguments that name nothing in the
input. A record's `to_json()` is the command's JSON document, built by the
command's own writer; `_repr_html_` and `_repr_pretty_` are how a notebook
and IPython show it (`outputs/notebook_premises.py`). Nothing here decides
a verdict or writes anything.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..check.results import Run, Verdict
from ..frontend.diagnostics import Diagnostic

if TYPE_CHECKING:  # the analyses are imported when they run
    from ..options import Options
    from .exploration import Exploration
    from .explore import ExploreOptions
    from .matrix import Matrix
    from .suggest.search import Progress, Report, SuggestOptions

EXPLORE_HINT = "see alignproof explore --help for --sort and --defs"
SUGGEST_CLAIM_HINT = "name a claim or a lemma of the files given (see alignproof check)"
SUGGEST_DROP_HINT = "--drop takes the name of an axiom the claim's file has or imports"


def usage(message: str, help: str) -> Diagnostic:
    """An error in what was asked for rather than in the input (the `usage` code)."""
    return Diagnostic("usage", message, path="alignproof", help=help)


class Shown:
    """How a notebook (`_repr_html_`) and IPython (`_repr_pretty_`) show a record. IPython takes a
    dataclass's own `__repr__` before an inherited `_repr_pretty_`, so each record names it again."""

    def _repr_html_(self) -> str:
        from ..outputs.notebook_premises import html
        return html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        from ..outputs.notebook_premises import text
        printer.text(text(self))


# ---------------------------------------------------------------- explore

@dataclass(frozen=True)
class Explored(Shown):
    """`alignproof explore`: the front end's run, one `Exploration` per file and sort, or why none."""

    _repr_pretty_ = Shown._repr_pretty_

    run: Run
    explorations: tuple[Exploration, ...] = ()
    usage: Diagnostic | None = None     # a --sort or --defs that names nothing to explore

    @property
    def input_error(self) -> bool:
        return self.run.input_error or self.usage is not None

    @property
    def ok(self) -> bool:
        """Exit status 0: every stated implication came out as its claim expects."""
        return not self.input_error and all(e.ok for e in self.explorations)

    def to_json(self) -> dict:
        from ..outputs.explore_text import json_document
        errors = [d.to_json() for d in self.run.diagnostics] if self.run.input_error else []
        return json_document(self.explorations, errors + ([self.usage.to_json()] if self.usage else []))


def explore_paths(paths: Sequence[str], options: ExploreOptions, allow_import_outside: bool = False,
                  texts: Mapping[str, str] | None = None) -> Explored:
    """The front end, then one exploration per program and sort; the inconsistent axioms of an
    exploration among the run's diagnostics. `texts`: files of `paths` given by their text (the API)."""
    from ..pipeline import front_end
    from .explore import explore_programs
    from .nodes import Refused
    programs, diags, sources = front_end(list(paths), allow_import_outside, texts=texts)
    if diags:
        return Explored(Run((), tuple(diags), sources, input_error=True))
    try:
        found = explore_programs(programs, options)
    except Refused as why:
        return Explored(Run((), (), sources, tuple(programs)), usage=usage(str(why), EXPLORE_HINT))
    inconsistent = tuple(e.diagnostic for e in found if e.diagnostic is not None)
    return Explored(Run((), inconsistent, sources, tuple(programs)), tuple(found))


# ---------------------------------------------------------------- matrix

@dataclass(frozen=True)
class Matrixed(Shown):
    """`alignproof matrix`: the check run (every claim under base and each reading) and its `Matrix`."""

    _repr_pretty_ = Shown._repr_pretty_

    run: Run
    matrix: Matrix

    @property
    def input_error(self) -> bool:
        return self.run.input_error

    @property
    def ok(self) -> bool:
        return self.matrix.ok

    def to_json(self) -> dict:
        return self.matrix.to_json()


def matrix_paths(paths: Sequence[str], options: Options, texts: Mapping[str, str] | None = None) -> Matrixed:
    """The check of the paths keeping their programs, then the matrix, the differently worded
    definitions asked of the stack's solver."""
    from ..check.stack import check_options, solver
    from ..pipeline import run
    from .matrix import build
    outcome = run(list(paths), options, programs_needed=True, texts=texts)
    if outcome.input_error:
        return Matrixed(outcome, build(outcome, None, check_options(options)))
    asking = solver(options)
    try:
        return Matrixed(outcome, build(outcome, asking, check_options(options)))
    finally:
        asking.close()


# ---------------------------------------------------------------- suggest

@dataclass(frozen=True)
class Suggested(Shown):
    """`alignproof suggest`: the front end's run, the search's `Report` for the claim (None when the
    input or the arguments stop it, or the kept axioms are inconsistent), the names a suggestion
    may not take, and a usage error for a claim or axiom the input does not have."""

    _repr_pretty_ = Shown._repr_pretty_

    run: Run
    report: Report | None = None
    taken: frozenset[str] = frozenset()
    usage: Diagnostic | None = None

    @property
    def input_error(self) -> bool:
        """Exit status 2: bad input, a name the input does not have, or inconsistent axioms."""
        return self.report is None

    @property
    def proved(self) -> bool:
        """The claim is proved already: nothing to suggest."""
        return self.report is not None and self.report.claim.verdict is Verdict.PROVED

    @property
    def ok(self) -> bool:
        """Exit status 0: a suggestion was found, or the claim is proved already."""
        return self.report is not None and (bool(self.report.suggestions) or self.proved)

    def to_json(self) -> dict:
        """The document of LANGUAGE.md §6.5; when the search did not run, the errors in `check`'s
        document, as the command prints them for a usage error."""
        if self.report is not None:
            from ..outputs.suggest import to_json
            return to_json(self.report, self.taken)
        from ..outputs.text import json_document
        errors = (self.usage,) if self.usage is not None else self.run.diagnostics
        return json_document(Run((), tuple(errors), self.run.sources, input_error=True))


def suggest_paths(paths: Sequence[str], claim: str, drop: Collection[str], options: SuggestOptions,
                  allow_import_outside: bool = False, progress: Progress | None = None,
                  texts: Mapping[str, str] | None = None) -> Suggested:
    """The front end, the one claim named `claim` in the programs of `paths`, and the search for
    its missing premise with the `drop`ped axioms left out."""
    from ..pipeline import front_end
    from .suggest.claim import Inconsistent, NoSuchAxiom, suggest_claim, taken_names
    programs, diags, sources = front_end(list(paths), allow_import_outside, texts=texts)
    if diags:
        return Suggested(Run((), tuple(diags), sources, tuple(programs), input_error=True))
    found = {(q.file, id(p)): (p, q) for p in programs for q in p.queries
             if q.name == claim and q.kind.value in ("claim", "lemma")}
    files = sorted({file for file, _ in found})
    if len(files) != 1:
        message = f"no claim or lemma named {claim!r} in {', '.join(paths)}" if not files else \
            f"several claims or lemmas named {claim!r}: in {', '.join(files)}"
        return Suggested(Run((), (), sources, tuple(programs)), usage=usage(message, SUGGEST_CLAIM_HINT))
    program, query = next(iter(found.values()))
    try:
        report = suggest_claim(program, query, drop, options, progress)
    except NoSuchAxiom as error:
        message = f"no axiom named {str(error)!r} in the claim's program"
        return Suggested(Run((), (), sources, (program,)), usage=usage(message, SUGGEST_DROP_HINT))
    except Inconsistent as error:
        return Suggested(Run((), (error.diagnostic,), sources, (program,)))
    return Suggested(Run((), (), sources, (program,)), report, frozenset(taken_names(program) | set(drop)))
