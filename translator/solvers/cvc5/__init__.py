"""Stage 5: the cvc5 back end, the only package of the project that imports cvc5 (lazily, in `load`).

It takes what the checker gives z3 (a program, expanded core formulas, a
query's witness constants, a bound) and hands back the same plain values:
an `Outcome` with a status, the names of the tracked assertions in an
unsat core, or a `model.Model` copied out of cvc5. No cvc5 object leaves
this package, and importing it does not import cvc5: `load` does, so the
tool works without it. One module per job:

- `translate`: core terms to cvc5 terms (and the bounds: cover axiom, cardinality);
- `models`: a cvc5 model copied out into a plain `Model`;
- `session`: questions with limits, one query's in one term manager (`Session`),
  unsat cores made smaller; `answer`, the one question `--cross-check` asks;
- abducts (`getAbduct`), asked by `alignproof suggest`, in `translate` beside the reader back to core terms.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .session import Answer, Session, answer
    from .translate import ABDUCT_RLIMIT, Abducts, abducts

INSTALL_HINT = "pip install 'alignproof[cross-check]'"
"""How to get the second solver: the PyPI package `cvc5` (a dependency where it has wheels; the extra
`cross-check` asks for it everywhere)."""

SOLVER = "cvc5"


class Unavailable(Exception):
    """cvc5 cannot be imported: asking for it (`--solver cvc5`, `--cross-check`) is an input error."""


def load(purpose: str = "--cross-check") -> Any:
    """The cvc5 module, imported now; raises `Unavailable` with the reason if it is not installed."""
    try:
        return importlib.import_module("cvc5")
    except ImportError as error:
        raise Unavailable(f"{purpose} needs the cvc5 package, which cannot be imported ({error})") from None


def available() -> bool:
    """Whether cvc5 is installed (without importing it)."""
    return importlib.util.find_spec("cvc5") is not None


def solver_name() -> str:
    """'cvc5 1.4.2': the second solver and the version of its package as installed."""
    from importlib import metadata  # ~20 ms of imports (email, zipfile): only when a result names cvc5
    try:
        return f"{SOLVER} {metadata.version('cvc5')}"
    except metadata.PackageNotFoundError:  # importable without a distribution record
        return SOLVER


_LAZY = {"Answer": "session", "Session": "session", "answer": "session",
         "ABDUCT_RLIMIT": "translate", "Abducts": "translate", "abducts": "translate"}
"""What the package hands on from its modules, imported at first use: a run that z3 answers
alone (the portfolio's usual case) never loads the translation to cvc5."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

__all__ = ["ABDUCT_RLIMIT", "INSTALL_HINT", "SOLVER", "Abducts", "Answer", "Session", "Unavailable", "abducts",
           "answer", "available", "load", "solver_name"]
