"""Premise sets: questions about a premise set asked as ordinary checks of a program variant.

Each question is a copy of the program with other axioms and one synthetic
query, answered by the checker stack's solver (`check.stack.solver`: this
process, or worker processes with `--jobs`), so its answer is a `Result`
with everything `check` guarantees: a proof with a minimal `used`, or a
counterexample re-checked by the evaluator and explained, or `unknown` with
its reason. It hands on one `Result` per variant, in order.

- `independence`: the other axioms, and the axiom as a claim;
- `converse`: the other premises of a premise set and the proved claim as
  axioms, and the set's axiom as a claim (does the claim give it back?);
- `hypothesis`: a premise set alone, and the claim's hypothesis as an example
  (is it possible under those premises?).

A proved lemma in a premise set is given to the variant as an axiom; a
variant has no lemmas of its own (its answer rests on its axioms alone).
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from ..check.results import Result, Verdict
from ..check.stack import Job, check_options, solver
from ..logic.core import And, Axiom, Program, Quant, QuantKind, Query, QueryKind, Term
from ..logic.expand import Fresh
from ..logic.shapes import implication, outer_vars, reveal
from ..options import Options

SMALL_FIRST = "counterexample"
"""The expectation given to the synthetic claims. It only orders the checker's search (worlds with
1, 2, 3 elements per sort before the unbounded question, which is slow to give up when the answer
is a world); the verdict is the same either way, and its `ok` is not read."""


def independence(program: Program, axiom: Axiom) -> Program:
    """The program without `axiom`, claiming it."""
    claim = Query(QueryKind.CLAIM, axiom.name, axiom.formula, SMALL_FIRST, file=program.root, span=axiom.span,
                  doc=axiom.doc)
    return replace(program, axioms=tuple(a for a in program.axioms if a.name != axiom.name), queries=(claim,),
                   lemmas=())


def converse(program: Program, claim: Query, axiom: Axiom, core: Collection[str]) -> Program:
    """The other premises of the premise set `core`, with `claim` as an axiom, claiming `axiom`."""
    others = premises(program, [n for n in core if n != axiom.name])
    assumed = Axiom(claim.name, claim.formula, claim.span, claim.doc)
    asked = Query(QueryKind.CLAIM, axiom.name, axiom.formula, SMALL_FIRST, file=program.root, span=axiom.span)
    return replace(program, axioms=(*others, assumed), queries=(asked,), lemmas=())


def hypothesis(program: Program, claim: Query, names: Collection[str]) -> Program | None:
    """The premises `names` alone, with the example that the claim's hypothesis holds somewhere; None when
    the claim is not an implication `forall ... . H -> C`."""
    fresh = Fresh(program.next_uid)
    formula = hypothesis_of(claim.formula, fresh)
    if formula is None:
        return None
    example = Query(QueryKind.EXAMPLE, claim.name, formula, "witness", file=program.root, span=claim.span)
    return replace(program, axioms=premises(program, names), queries=(example,), lemmas=(),
                   next_uid=fresh())  # past the uids of the definitions unfolded at the head


def premises(program: Program, names: Collection[str]) -> tuple[Axiom, ...]:
    """The axioms of a premise set, then its lemmas as axioms (each proved, so it may be assumed)."""
    axioms = tuple(a for a in program.axioms if a.name in names)
    return axioms + tuple(Axiom(q.name, q.formula, q.span, q.doc) for q in program.lemmas if q.name in names)


def hypothesis_of(formula: Term, fresh: Fresh) -> Term | None:
    """`exists vars. H1 and ... and Hn` for `forall vars. H1 -> ... -> Hn -> C` (None if no H)."""
    vars, body = outer_vars(formula, QuantKind.FORALL, fresh)
    hypotheses, _ = implication(reveal(body, fresh))
    if not hypotheses:
        return None
    joined = hypotheses[0] if len(hypotheses) == 1 else And(tuple(hypotheses))
    return Quant(QuantKind.EXISTS, vars, joined) if vars else joined


def ask(variants: Sequence[Program], options: Options) -> list[Result]:
    """The result of each variant's one query, through the stack's solver (all planned at once)."""
    checking = check_options(options)
    # The stack's solvers know a program by its root; each variant gets one of its own (its
    # query keeps the file it came from).
    jobs = [Job(replace(p, root=f"{p.root}#{i}"), checking, tuple(q.name for q in p.queries))
            for i, p in enumerate(variants)]
    answering = solver(options)
    try:
        answering.plan(jobs)
        return [_only(answering.outcome(job), job) for job in jobs]
    finally:
        answering.close()


def _only(outcome, job: Job) -> Result:
    (result,) = outcome.results
    if outcome.inconsistency is not None and result.verdict is not Verdict.UNKNOWN:
        return replace(result, verdict=Verdict.UNKNOWN, ok=False, used=None, model=None,
                       reason=outcome.inconsistency.message)
    return result
