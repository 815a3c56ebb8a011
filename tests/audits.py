"""Auditing a small spec written for a test: the tests of `alignproof audit`'s findings share it."""
from __future__ import annotations

from pathlib import Path

from translator.options import Options
from translator.premises.audit import audit

HEADER = "sort S\nconst c: S\npred p: S\npred q: S\npred r: S\n"


def audited(text: str, tmp_path: Path, **options):
    """The audit of HEADER + `text`, and its one program; the spec must have no input error."""
    path = tmp_path / "spec.align"
    path.write_text(HEADER + text, encoding="utf-8")
    found = audit([str(path)], Options(timeout=5.0, jobs=1), **options)
    assert not found.run.input_error, [d.message for d in found.run.diagnostics]
    (program,) = found.programs
    return found, program
