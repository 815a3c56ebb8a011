"""`check --importers` (translator/frontend/importers.py): a hook given one changed library checks its users."""
from __future__ import annotations

import os

from conftest import run_cli

from translator.frontend.importers import with_importers


def _project(tmp_path):
    (tmp_path / ".git").mkdir()
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "base.align").write_text("sort S\npred p: S\naxiom all_p: forall x: S. p(x)\n", encoding="utf-8")
    (lib / "mid.align").write_text('import "base.align"\npred q: S\naxiom q_is_p: forall x: S. q(x) -> p(x)\n',
                                   encoding="utf-8")
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "direct.align").write_text('import "../lib/base.align"\nclaim d: forall x: S. p(x)\n', encoding="utf-8")
    (spec / "indirect.align").write_text('import "../lib/mid.align"\nclaim i: forall x: S. q(x) -> p(x) and p(x)\n'
                                         'claim j: forall x: S. p(x)\n', encoding="utf-8")
    (spec / "other.align").write_text("sort T\nclaim o: forall x: T. x = x\n", encoding="utf-8")
    hidden = tmp_path / ".venv"
    hidden.mkdir()
    (hidden / "stray.align").write_text('import "../lib/base.align"\n', encoding="utf-8")
    return tmp_path


def test_the_specs_that_import_a_file_directly_or_not_are_added(tmp_path):
    root = _project(tmp_path)
    base = str(root / "lib" / "base.align")
    found = with_importers([base])
    assert found[0] == base
    assert {os.path.relpath(f, root) for f in found[1:]} == {
        "lib/mid.align", "spec/direct.align", "spec/indirect.align"}


def test_a_weakened_library_staged_alone_fails_the_hook(tmp_path):
    root = _project(tmp_path)
    base = root / "lib" / "base.align"
    base.write_text("sort S\npred p: S\naxiom some_p: exists x: S. p(x)\n", encoding="utf-8")
    status, out, _ = run_cli("check", str(base))
    assert status == 0  # the library alone: consistent, nothing else asked
    status, out, _ = run_cli("check", "--importers", str(base))
    assert status == 1
    assert "claim d: counterexample" in out and "claim j: counterexample" in out and "other.align" not in out
