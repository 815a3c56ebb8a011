"""A pytest plugin: every claim and example of a `.align` file as a test item.

Inert unless asked: `pytest --align spec/` (repeatable) or the ini option
`align_paths` names the files and directories whose `.align` files become
test files. Each claim, lemma or example is an item `FILE::NAME` (in a file
with readings, one per reading: `FILE::NAME[reading]`, `base` the file as
written) that passes when its verdict meets the expectation and fails with
the verdict, the expectation and the reason or witness; a file with axioms
and no claim or example (a library) is one item `FILE::axioms`, which passes
when the axioms are shown consistent. It builds the same `Options` record
as the command line, from its own options, and drives the same stages
(front end, the checker stack of `check.stack`) and result records, so `-k`,
`-x` and `--junitxml` work as for any test.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from .check.results import Result
from .check.stack import check_options, open_stack
from .check.theory import Theory, theory_of
from .frontend.diagnostics import render
from .logic.core import Program
from .options import Options
from .outputs.ci import failure_details
from .pipeline import front_end, readings


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("alignproof", "alignproof specifications")
    group.addoption("--align", action="append", default=[], metavar="PATH",
                    help="check the .align files under PATH as tests, one item per claim (repeatable)")
    group.addoption("--align-timeout", type=float, default=None, metavar="SECONDS",
                    help="per solver query (default: ini align_timeout, else 10)")
    group.addoption("--align-solver", choices=("z3", "cvc5", "portfolio"), default=None,
                    help="who answers (default: ini align_solver, else the portfolio where cvc5 is installed)")
    parser.addini("align_paths", "files and directories whose .align files are checked as tests",
                  type="paths", default=[])
    parser.addini("align_timeout", "per solver query, in seconds", default="10")
    parser.addini("align_solver", "z3, cvc5 or portfolio (default: portfolio where cvc5 is installed)", default="")


def _align_paths(config: pytest.Config) -> list[Path]:
    given = [Path(p).resolve() for p in config.getoption("align") or ()]
    return given + [Path(p).resolve() for p in config.getini("align_paths") or ()]


def pytest_configure(config: pytest.Config) -> None:
    paths = _align_paths(config)
    if not paths:
        return
    config.stash[_PATHS] = paths
    # --align names what to collect: add those paths unless a collected path already holds them.
    collected = [Path(a.split("::")[0]).resolve() for a in config.args]
    for path in paths:
        if not any(path == c or c in path.parents for c in collected):
            config.args.append(str(path))


_PATHS = pytest.StashKey[list]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    paths = parent.config.stash.get(_PATHS, None)
    if not paths or file_path.suffix != ".align":
        return None
    resolved = file_path.resolve()
    if any(resolved == p or p in resolved.parents for p in paths):
        return AlignFile.from_parent(parent, path=file_path)
    return None


class AlignFile(pytest.File):
    """One spec file: its claims and examples, checked together the first time one of them runs."""

    program: Program | None = None
    results: dict[str, Result] | None = None

    def collect(self):
        # Imports stay inside the trees named by --align / align_paths, as on the command line.
        programs, diags, sources = front_end([str(self.path)], import_roots=self.options().import_roots)
        if diags:
            yield AlignInputError.from_parent(self, name="input-errors",
                                              text="\n".join(render(d, sources) for d in diags))
            return
        for program in programs:
            if Path(program.root).resolve() == self.path.resolve():
                self.program = program
                for variant in readings(program):
                    for query in variant.queries:
                        name = query.name if variant.reading is None else f"{query.name}[{variant.reading}]"
                        yield AlignItem.from_parent(self, name=name, kind=query.kind.value,
                                                    line=query.span.line if query.span else 1)
                if not program.queries and program.axioms:  # a library: its consistency is its test
                    yield AlignTheoryItem.from_parent(self, name="axioms")

    def options(self) -> Options:
        config = self.config
        timeout = config.getoption("align_timeout") or float(config.getini("align_timeout"))
        solver = config.getoption("align_solver") or config.getini("align_solver") or None
        return Options(timeout=timeout, import_roots=tuple(str(p) for p in config.stash.get(_PATHS, [])),
                       solver=solver)

    def result(self, name: str) -> Result:
        if self.results is None:
            assert self.program is not None
            wanted = {i.name.split("[")[0] for i in self.session.items
                      if isinstance(i, AlignItem) and i.parent is self} or {name.split("[")[0]}
            options = self.options()
            self.results = {}
            with open_stack(options) as stack:
                for variant in readings(self.program):
                    outcome = stack.checker(variant, check_options(options), wanted)
                    for found in outcome.results:  # inconsistent axioms: each is unknown, with why
                        found = replace(found, reading=variant.reading)
                        self.results[found.label] = found
        return self.results[name]


    def theory(self) -> Theory:
        """The consistency of the axioms of this file, which has no claim or example."""
        assert self.program is not None
        options = self.options()
        with open_stack(options) as stack:
            outcome = stack.checker(self.program, check_options(options), ())
        theory = theory_of(self.program, outcome)
        assert theory is not None
        return theory


class AlignFailure(Exception):
    """A claim or example whose verdict missed its expectation."""


class AlignItem(pytest.Item):
    """One claim or example."""

    def __init__(self, *, kind: str, line: int, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.line = line

    def runtest(self) -> None:
        assert isinstance(self.parent, AlignFile)
        result = self.parent.result(self.name)
        if not result.ok:
            raise AlignFailure(f"{result.kind} {result.label}: {result.verdict.value}, "
                               f"expected {result.expected}\n{failure_details(result)}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AlignFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.kind} {self.name}"


class AlignTheoryItem(pytest.Item):
    """The axioms of a file with no claim or example: passes when they are shown consistent."""

    def runtest(self) -> None:
        assert isinstance(self.parent, AlignFile)
        theory = self.parent.theory()
        if not theory.ok:
            raise AlignFailure(theory.message())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AlignFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, "axioms"


class AlignInputError(pytest.Item):
    """A spec file that cannot be checked: its errors, as one failing item."""

    def __init__(self, *, text: str, **kwargs):
        super().__init__(**kwargs)
        self.text = text

    def runtest(self) -> None:
        raise AlignFailure(self.text)

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, "input errors"
