"""Premise-set analyses (LANGUAGE.md section 6): what a set of definitions and axioms implies, over the checker."""
