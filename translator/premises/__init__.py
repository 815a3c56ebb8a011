"""Premises: what a spec's axioms could be, beside what they are (suggested, explored, audited)."""
