"""Stage 0: finding spec files and following imports."""
from __future__ import annotations

from translator.frontend.loader import load


def write(tmp_path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_imports_come_first_and_diamonds_once(tmp_path):
    write(tmp_path, {"a.align": 'import "b.align"\nimport "c.align"\nsort A\n',
                     "b.align": 'import "d.align"\nsort B\n', "c.align": 'import "d.align"\nsort C\n',
                     "d.align": "sort D\n"})
    loaded = load([str(tmp_path / "a.align")])
    assert loaded.diagnostics == []
    (root,) = loaded.roots
    assert [m.path.rsplit("/", 1)[1] for m in root.modules] == ["d.align", "b.align", "c.align", "a.align"]


def test_directory_search_is_recursive_and_sorted(tmp_path):
    write(tmp_path, {"z.align": "sort Z\n", "sub/a.align": "sort A\n", "notes.txt": "x"})
    loaded = load([str(tmp_path)])
    assert [r.path.rsplit("/", 2)[-2:] for r in loaded.roots] == [["sub", "a.align"], [tmp_path.name, "z.align"]]


def test_cycle_names_the_chain(tmp_path):
    write(tmp_path, {"e.align": 'import "f.align"\n', "f.align": 'import "e.align"\n'})
    loaded = load([str(tmp_path / "e.align")])
    (diag,) = loaded.diagnostics
    assert diag.code == "import-cycle"
    assert diag.message.endswith("e.align -> " + str(tmp_path / "f.align") + " -> " + str(tmp_path / "e.align"))
    assert diag.span.path.endswith("f.align") and diag.span.line == 1
    assert loaded.roots == []


def test_missing_import_points_at_the_import(tmp_path):
    write(tmp_path, {"g.align": 'sort A\nimport "nope.align"\n'})
    (diag,) = load([str(tmp_path / "g.align")]).diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("import-not-found", 2, 1)
    assert "nope.align" in diag.message


def test_missing_paths_and_empty_directories(tmp_path):
    (tmp_path / "empty").mkdir()
    diags = load([str(tmp_path / "missing.align"), str(tmp_path / "empty")]).diagnostics
    assert [d.code for d in diags] == ["file-not-found", "no-specs"]


def test_non_utf8_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "h.align").write_bytes(b"sort \xff\n")
    (diag,) = load([str(tmp_path / "h.align")]).diagnostics
    assert diag.code == "import-error" and "UTF-8" in diag.message
