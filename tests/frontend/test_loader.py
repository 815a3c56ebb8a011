"""Stage 0: finding spec files and following imports."""
from __future__ import annotations

import os

import pytest

from translator.frontend.diagnostics import render
from translator.frontend.loader import load, project_root
from translator.frontend.parser import parse_source
from translator.frontend.source import SourceFile
from translator.frontend.typecheck import check_program


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


def test_a_path_that_is_neither_file_nor_directory_says_so(tmp_path):
    os.mkfifo(tmp_path / "pipe.align")
    (diag,) = load([str(tmp_path / "pipe.align")]).diagnostics
    assert diag.code == "file-not-found" and diag.message == f"not a file or a directory: {tmp_path / 'pipe.align'}"
    assert diag.help == "give spec files (.align) or directories of them"


def test_non_utf8_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "h.align").write_bytes(b"sort \xff\n")
    (diag,) = load([str(tmp_path / "h.align")]).diagnostics
    assert diag.code == "import-error" and "UTF-8" in diag.message


# ---------------------------------------------------------------- imports are confined to the project

def spec_and_lib(tmp_path, marker: str | None) -> str:
    """proj/spec/main.align imports ../lib/base.align; `marker` (.git, pyproject.toml or none) marks proj/."""
    write(tmp_path, {"proj/lib/base.align": "sort Agent\n",
                     "proj/spec/main.align": 'import "../lib/base.align"\nclaim c: forall a: Agent. a = a\n'})
    if marker == ".git":
        (tmp_path / "proj" / ".git").mkdir()
    elif marker is not None:
        (tmp_path / "proj" / marker).write_text("", encoding="utf-8")
    return str(tmp_path / "proj" / "spec" / "main.align")


@pytest.mark.parametrize("marker", [".git", "pyproject.toml"])
def test_a_relative_import_out_of_the_spec_directory_stays_in_the_project(tmp_path, marker):
    loaded = load([spec_and_lib(tmp_path, marker)])
    assert loaded.diagnostics == []
    assert [m.path.rsplit("/", 2)[-2:] for m in loaded.roots[0].modules] == [["lib", "base.align"],
                                                                            ["spec", "main.align"]]


def test_with_no_marker_the_project_is_the_working_directory(tmp_path, monkeypatch):
    path = spec_and_lib(tmp_path, None)
    monkeypatch.chdir(tmp_path / "proj")
    assert load([path]).diagnostics == []
    assert load([os.path.relpath(path)]).diagnostics == []


def test_with_no_marker_and_outside_the_working_directory_the_project_is_the_files_directory(tmp_path, monkeypatch):
    path = spec_and_lib(tmp_path, None)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    (diag,) = load([path]).diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("import-outside", 1, 1)
    assert diag.message == "import of ../lib/base.align leads outside the project"
    assert diag.help == ("imports stay in the project: the nearest directory above the files checked that holds "
                         ".git or pyproject.toml, else the working directory; pass --allow-import-outside to allow it")


def test_the_project_ends_at_its_marker(tmp_path):
    write(tmp_path, {"outside/secret.align": "sort Secret\n",
                     "proj/spec/main.align": 'import "../../outside/secret.align"\nclaim c: true\n'})
    (tmp_path / "proj" / ".git").mkdir()
    (diag,) = load([str(tmp_path / "proj" / "spec" / "main.align")]).diagnostics
    assert diag.code == "import-outside" and "leads outside the project" in diag.message
    assert load([str(tmp_path / "proj" / "spec" / "main.align")], allow_outside=True).diagnostics == []


def test_project_root_is_the_nearest_marker(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree's .git file
    assert project_root(str(tmp_path / "a" / "b" / "c" / "x.align")) == os.path.realpath(tmp_path / "a" / "b")
    assert project_root(str(tmp_path / "a" / "b" / "c")) == os.path.realpath(tmp_path / "a" / "b")
    assert project_root(str(tmp_path / "a" / "y.align")) == os.path.realpath(tmp_path / "a")


# ---------------------------------------------------------------- a name declared in a file not imported

def undeclared_help(tmp_path, files: dict[str, str], checked: list[str], using: str) -> list[tuple[str, str | None]]:
    """The message and help of each error of `using`, `checked` loaded from `tmp_path` (the working directory)."""
    write(tmp_path, files)
    (tmp_path / ".git").mkdir(exist_ok=True)
    loaded = load(checked)
    assert loaded.diagnostics == []
    root = next(r for r in loaded.roots if r.path.endswith(using))
    _, diags = check_program(root.modules, loaded.modules)
    return [(d.message, d.help) for d in diags]


LIBRARY = {"lib/base.align": "sort Agent\npred good: Agent\nconst x: Agent\n",
           "spec/uses.align": 'import "../lib/base.align"\nclaim c: forall a: Agent. good(a) -> good(a)\n',
           "spec/forgot.align": "claim d: good(x)\n"}


def test_a_name_declared_in_a_file_the_loader_read_is_pointed_to(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = undeclared_help(tmp_path, LIBRARY, ["spec"], "forgot.align")
    hint = "'{}' is declared in lib/base.align, which this file does not import; add `import \"../lib/base.align\"`"
    assert found == [("'good' is not declared", hint.format("good")), ("'x' is not declared", hint.format("x"))]


def test_a_name_declared_in_a_file_a_neighbour_imports_is_pointed_to_without_the_loader(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, LIBRARY)
    (tmp_path / ".git").mkdir()
    loaded = load(["spec/forgot.align"])
    (good, _x) = check_program(loaded.roots[0].modules)[1]
    assert good.help == ("'good' is declared in lib/base.align, which this file does not import; "
                         'add `import "../lib/base.align"`')


def test_the_hint_is_relative_to_the_working_directory_and_the_importing_file(tmp_path, monkeypatch):
    write(tmp_path, LIBRARY)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    source = SourceFile("spec/forgot.align", LIBRARY["spec/forgot.align"])
    module, _ = parse_source(source)
    assert render(check_program([module])[1][0], {source.path: source}) == (
        "spec/forgot.align:1:10: error: 'good' is not declared [undeclared]\n"
        "   1 | claim d: good(x)\n"
        "     |          ^^^^\n"
        "  = help: 'good' is declared in lib/base.align, which this file does not import; "
        'add `import "../lib/base.align"`')


def test_a_name_declared_beside_the_file_is_pointed_to(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"a.align": "sort T\n", "b.align": "const t: T\n", "sub/c.align": "sort U\n"})
    module, _ = parse_source(SourceFile("b.align", "const t: T\nconst u: U\n"))
    (t, u) = check_program([module])[1]
    assert t.help == "'T' is declared in a.align, which this file does not import; add `import \"a.align\"`"
    assert u.help is None  # a subdirectory nobody imports is not searched


def test_a_close_name_in_scope_is_still_suggested_when_no_file_declares_the_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = undeclared_help(tmp_path, {**LIBRARY, "spec/forgot.align": 'import "../lib/base.align"\n'
                                       "claim d: forall a: Agent. goood(a)\n"}, ["spec"], "forgot.align")
    assert found == [("'goood' is not declared", "did you mean 'good'?")]


def test_the_search_never_leaves_the_project_or_follows_a_link_out(tmp_path):
    write(tmp_path, {"outside/secret.align": "sort Secret\n", "proj/a.align": "const s: Secret\n",
                     "proj/b.align": 'import "../outside/secret.align"\n'})
    (tmp_path / "proj" / ".git").mkdir()
    os.symlink(tmp_path / "outside" / "secret.align", tmp_path / "proj" / "link.align")
    loaded = load([str(tmp_path / "proj" / "a.align")])
    _, diags = check_program(loaded.roots[0].modules, loaded.modules)
    assert [(d.message, d.help) for d in diags] == [("'Secret' is not declared", None)]


def test_a_name_declared_in_a_file_that_imports_this_one_does_not_suggest_a_cycle(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = undeclared_help(tmp_path, {"main.align": 'import "part.align"\nsort Agent\n',
                                       "part.align": "pred good: Agent\n"}, ["part.align"], "part.align")
    assert found == [("'Agent' is not declared", "'Agent' is declared in main.align, which imports this file "
                      "(so this file cannot import it): move the declaration here, or into a file both import")]
