"""The loader's overlay (`load(..., texts=...)`): an editor's open documents read instead of the disk."""
from __future__ import annotations

from pathlib import Path

from translator.frontend import diagnostics as codes
from translator.frontend.loader import load


def _project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    return tmp_path


def test_a_given_text_is_read_instead_of_the_file(tmp_path):
    spec = _project(tmp_path) / "a.align"
    spec.write_text("sort S\nconst c S\n", encoding="utf-8")
    on_disk = load([str(spec)])
    assert [d.code for d in on_disk.diagnostics] == [codes.SYNTAX]
    given = load([str(spec)], texts={str(spec): "sort S\nconst c: S\n"})
    assert given.sources[str(spec)].text == "sort S\nconst c: S\n"
    assert not given.diagnostics and [len(r.modules[-1].decls) for r in given.roots] == [2]


def test_an_import_of_an_unsaved_buffer_reads_the_buffer(tmp_path):
    folder = _project(tmp_path)
    (folder / "base.align").write_text("sort S\n", encoding="utf-8")
    main = folder / "main.align"
    main.write_text('import "base.align"\nconst c: S\nfun f: S -> S\n', encoding="utf-8")
    loaded = load([str(main)], texts={str(folder / "base.align"): "sort S\nsort T\n"})
    base = next(p for p in loaded.sources if p.endswith("base.align"))
    assert loaded.sources[base].text == "sort S\nsort T\n"
    assert [m.path.rsplit("/", 1)[-1] for m in loaded.roots[0].modules] == ["base.align", "main.align"]


def test_a_document_not_on_disk_is_loaded_from_its_text(tmp_path):
    folder = _project(tmp_path)
    (folder / "base.align").write_text("sort S\n", encoding="utf-8")
    new = folder / "new.align"
    loaded = load([str(new)], texts={str(new): 'import "base.align"\nconst c: S\n'})
    assert not loaded.diagnostics and len(loaded.roots) == 1
    assert not new.exists()


def test_without_the_overlay_a_missing_file_is_still_an_error(tmp_path):
    new = _project(tmp_path) / "new.align"
    assert [d.code for d in load([str(new)]).diagnostics] == [codes.FILE_NOT_FOUND]


def test_an_import_named_in_the_overlay_is_still_confined(tmp_path):
    folder = _project(tmp_path / "project")
    outside = tmp_path / "outside.align"
    main = folder / "main.align"
    text = 'import "../outside.align"\n'
    loaded = load([str(main)], texts={str(main): text, str(outside): "sort Secret\n"})
    assert [d.code for d in loaded.diagnostics] == [codes.IMPORT_OUTSIDE]
    assert str(outside) not in loaded.sources


def test_a_byte_order_mark_keeps_the_columns(tmp_path):
    spec = _project(tmp_path) / "a.align"
    loaded = load([str(spec)], texts={str(spec): "\ufeffconst c S\n"})
    [diag] = loaded.diagnostics
    assert loaded.sources[str(spec)].text == " const c S\n"
    assert (diag.code, diag.span.line, diag.span.column) == (codes.SYNTAX, 1, 10)
