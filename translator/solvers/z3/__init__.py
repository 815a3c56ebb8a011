"""Stage 5: the z3 back end, the only package of the project that imports z3.

It takes expanded core terms (no definitions, no built-ins), asks Z3 a
question, and hands back an `Outcome` made of plain Python values: a status,
the names of the tracked assertions in an unsat core, or a `model.Model`
copied out of Z3. No z3 object leaves this package. One module per job:

- `vocabulary`: a program's sorts and symbols declared in one context;
- `bounds`: the bounded encoding of `bound=N` (names, cover, symmetry breaking);
- `translate`: core terms to Z3 terms;
- `models`: a Z3 model copied out into a plain `Model`;
- `session`: questions with limits, one query's in one context (`Session`, `solve`), and
  subsets of tracked formulas checked on one solver by assumptions (`Subsets`);
- `maps`: the map of explored subsets for MUS enumeration, and minimal hitting sets;
- `smtlib`: a query as an SMT-LIB 2 script (`--export`).
"""
from __future__ import annotations

from .bounds import MAX_UNROLLED, SYMMETRY_NAMES
from .maps import Map, hitting_sets
from .models import MAX_TABLE_ROWS
from .session import RLIMIT_PER_SECOND, Outcome, Session, SolverOptions, Subsets, solve, z3_version
from .smtlib import smtlib_script

__all__ = ["MAX_TABLE_ROWS", "MAX_UNROLLED", "RLIMIT_PER_SECOND", "SYMMETRY_NAMES", "Map", "Outcome", "Session",
           "SolverOptions", "Subsets", "hitting_sets", "smtlib_script", "solve", "z3_version"]
