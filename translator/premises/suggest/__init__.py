"""`alignproof suggest`: the missing premise of a claim the checker did not prove (LANGUAGE.md §6.5).

The stages, each a module: `vocabulary` (the atoms a claim reaches),
`worlds` (re-checked models and what they settle), `candidates` (the
enumerator's clauses and cvc5's abducts as formulas), `verify` (the
checker's tests of one candidate), `rank` (weakest first), `search` (the
whole search, to a `Report`), `render` (text and JSON).
"""
