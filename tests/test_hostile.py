"""Hostile input: grammar-based fuzzing, random bytes, limits, confined imports, Ctrl-C.

Whatever the input, `alignproof check` ends with 0, 1 or 2 and reports errors
as `PATH:LINE:COL: error: ...`, never with a Python traceback. An import may
not leave the project of the paths checked (the directory marked by `.git` or
`pyproject.toml`) unless `--allow-import-outside` is given, and a refused
import shows nothing of the file it named.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.cli import dispatch
from translator.frontend.loader import load
from translator.frontend.parser import MAX_DEPTH, MAX_FILE_BYTES

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINT = any(e.name == "alignproof" for e in importlib.metadata.entry_points(group="pytest11"))
LOAD_PLUGIN = [] if ENTRY_POINT else ["-p", "translator.pytest_plugin"]  # not pip-installed: load it by name

DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: .+ \[[a-z-]+\]$")
SUMMARY = re.compile(r"^\d+ errors?; nothing was checked$")
MARKER = "SECRET_MARKER_7f3a"  # the content of files that must never be shown


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def check(path: Path, *options: str, fmt: str = "text") -> tuple[int, str, str]:
    """`check` in this process with small, deterministic limits."""
    return cli("check", "--jobs", "1", "--timeout", "5", "--rlimit", "300000", "--format", fmt, *options,
               str(path))


def assert_well_behaved(status: int, out: str, err: str, fmt: str = "text") -> None:
    """Exit 0/1/2, no traceback, and every error line in the `PATH:LINE:COL: error:` form."""
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    heads = 0
    for line in err.splitlines():
        if not line or line[0].isspace():
            continue  # the source line, the caret, the help line
        assert DIAGNOSTIC.match(line) or SUMMARY.match(line), f"not a diagnostic: {line!r}\n{err}"
        heads += bool(DIAGNOSTIC.match(line))
    if status == 2:
        assert heads >= 1, err
    if fmt == "json":
        doc = json.loads(out)
        assert set(doc) >= {"results", "errors", "summary"}
        assert all(e["line"] >= 1 and e["column"] >= 1 for e in doc["errors"]), doc["errors"]
        assert (status == 2) == (doc["results"] == [] and doc["errors"] != [])


# ---------------------------------------------------------------- grammar-based fuzzing

# The vocabulary of a small well-typed preamble, so that many generated
# declarations type check and go on to the solver.
PREAMBLE = """\
sort S
sort T
sort D = {d1, d2}
fun f: S -> Real
fun g: T -> Real
fun h: S -> S
pred p: S
const c: S
bridge b: T -> S
axiom some_p: exists s: S. p(s)
"""
VALUE_NAMES = ["c", "d1", "d2", "x", "y", "z", "undeclared"]
UNARY = ["h", "f", "p", "g", "b"]
SORTS = ["S", "T", "D", "Real", "Int", "Bool", "ℝ", "Nope"]
BINARY = ["and", "or", "->", "<->", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*",
          "∧", "∨", "→", "↔", "≠", "≤", "≥"]
IMPORTS = ['"f.align"', '"missing.align"', '"../secret/secret.align"', '"sub/../f.align"', '"."', '""']

names = st.sampled_from(VALUE_NAMES)
sorts = st.sampled_from(SORTS)


def _binders(draw_names, draw_sorts):
    return st.tuples(draw_names, draw_sorts).map(lambda t: [t[0], ":", t[1]])


def _extend(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: [*t[0], t[1], *t[2]]),
        inner.map(lambda t: ["not", *t]),
        inner.map(lambda t: ["-", *t]),
        inner.map(lambda t: ["(", *t, ")"]),
        st.tuples(st.sampled_from(["forall", "exists", "∀", "∃"]), _binders(names, sorts), inner)
        .map(lambda t: [t[0], *t[1], ".", *t[2]]),
        st.tuples(inner, inner, inner).map(lambda t: ["if", *t[0], "then", *t[1], "else", *t[2]]),
        st.tuples(st.sampled_from(UNARY), inner).map(lambda t: [t[0], "(", *t[1], ")"]),
    )


ATOMS = st.one_of(
    names.map(lambda n: [n]),
    st.sampled_from(["0", "2", "-3", "1.5", "true", "false"]).map(lambda n: [n]),
    st.tuples(st.sampled_from(UNARY), names).map(lambda t: [t[0], "(", t[1], ")"]),
    st.sampled_from([["agree", "(", "f", ",", "g", "via", "b", ")"], ["agree", "(", "f", ",", "g", ")"],
                     ["maximizes", "(", "f", ",", "c", ")"], ["injective", "(", "b", ")"],
                     ["surjective", "(", "h", ")"], ["agree_on", "(", "p", ",", "f", ",", "f", ")"]]),
)
FORMULAS = st.recursive(ATOMS, _extend, max_leaves=8)

# Well-typed over the preamble (x is bound by an enclosing `forall x: S`), so
# that most generated queries reach the solver; FORMULAS above adds the noise.
S_TERMS = st.recursive(st.sampled_from([["c"], ["x"]]), lambda t: t.map(lambda u: ["h", "(", *u, ")"]),
                       max_leaves=3)
R_TERMS = st.recursive(
    st.one_of(S_TERMS.map(lambda t: ["f", "(", *t, ")"]), st.sampled_from([["0"], ["2"], ["1.5"], ["-3"]])),
    lambda t: st.one_of(st.tuples(t, st.sampled_from(["+", "-"]), t).map(lambda u: [*u[0], u[1], *u[2]]),
                        t.map(lambda u: ["2", "*", *u]), t.map(lambda u: ["(", *u, ")"])),
    max_leaves=4)
BOOL_ATOMS = st.one_of(
    S_TERMS.map(lambda t: ["p", "(", *t, ")"]),
    st.tuples(S_TERMS, st.sampled_from(["=", "!=", "≠"]), S_TERMS).map(lambda t: [*t[0], t[1], *t[2]]),
    st.tuples(R_TERMS, st.sampled_from(["<", "<=", ">", ">=", "=", "≤"]), R_TERMS)
    .map(lambda t: [*t[0], t[1], *t[2]]),
    st.sampled_from([["true"], ["false"], ["agree", "(", "f", ",", "g", "via", "b", ")"],
                     ["maximizes", "(", "f", ",", "c", ")"], ["injective", "(", "b", ")"],
                     ["surjective", "(", "h", ")"], ["agree_on", "(", "p", ",", "f", ",", "f", ")"]]),
)
TYPED = st.recursive(BOOL_ATOMS, lambda t: st.one_of(
    st.tuples(t, st.sampled_from(["and", "or", "->", "<->", "∧", "∨", "→"]), t)
    .map(lambda u: ["(", *u[0], u[1], *u[2], ")"]),
    t.map(lambda u: ["not", "(", *u, ")"]),
    st.tuples(st.sampled_from(["forall", "exists", "∀", "∃"]), t)
    .map(lambda u: ["(", u[0], "x", ":", "S", ".", *u[1], ")"]),
    st.tuples(t, t, t).map(lambda u: ["(", "if", *u[0], "then", *u[1], "else", *u[2], ")"]),
), max_leaves=6)
FORALL_X = TYPED.map(lambda t: ["forall", "x", ":", "S", ".", *t])
CLAIM_BODIES = st.one_of(FORALL_X, FORALL_X, TYPED.map(lambda t: ["exists", "x", ":", "S", ".", *t]), FORMULAS)

QUERY_OPTIONS = st.lists(st.sampled_from([["within", "2"], ["within", "0"], ["expect", "proved"],
                                          ["expect", "counterexample"], ["expect", "witness"],
                                          ["expect", "none"], ["expect", "maybe"]]), max_size=2)

QUERIES = st.tuples(st.sampled_from(["claim", "example"]), st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q6"]),
                    CLAIM_BODIES, QUERY_OPTIONS
                    ).map(lambda t: [t[0], t[1], ":", *t[2], *[w for o in t[3] for w in o]])

DECLARATIONS = st.one_of(
    QUERIES, QUERIES,
    st.tuples(st.sampled_from(["ax1", "ax2", "some_p"]), CLAIM_BODIES).map(lambda t: ["axiom", t[0], ":", *t[1]]),
    st.sampled_from(IMPORTS).map(lambda s: ["import", s]),
    st.sampled_from([["sort", "U"], ["sort", "E", "=", "{", "e1", ",", "e2", "}"], ["sort", "S"]]),
    st.tuples(st.sampled_from(["const", "fun", "pred"]), st.sampled_from(["k", "u", "f"]), sorts, sorts)
    .map(lambda t: [t[0], t[1], ":", t[2]] if t[0] == "const" else [t[0], t[1], ":", t[2], "->", t[3]]),
    st.tuples(st.sampled_from(["r", "q", "f"]), _binders(names, sorts), FORMULAS)
    .map(lambda t: ["def", t[0], "(", *t[1], ")", ":=", *t[2]]),
)

# Explicit whitespace between tokens: spaces, tabs, newlines of each kind, comments.
SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", " # note\n", "\n# doc comment\n"])


@st.composite
def well_typed_queries(draw) -> list[str]:
    """Claims and examples that type check over the preamble (names unique): these reach the solver."""
    tokens: list[str] = []
    for number, body in enumerate(draw(st.lists(st.one_of(FORALL_X, TYPED), min_size=1, max_size=3))):
        kind = draw(st.sampled_from(["claim", "example"]))
        if body[0] != "forall":
            body = ["exists", "x", ":", "S", ".", *body]
        bound = ["within", "2"] if kind == "claim" and draw(st.booleans()) else []
        tokens += [kind, f"t{number}", ":", *body, *bound]
    return tokens


@st.composite
def mutated_programs(draw) -> str:
    """Declarations after the grammar (well typed, or with noise), perhaps mutated, with explicit whitespace."""
    if draw(st.booleans()):
        tokens = draw(well_typed_queries())
    else:
        tokens = [t for decl in draw(st.lists(DECLARATIONS, min_size=1, max_size=4)) for t in decl]
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):  # drop, duplicate or swap tokens
        if not tokens:
            break
        i, j = draw(st.integers(0, len(tokens) - 1)), draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "swap"]))
        if action == "drop":
            del tokens[i]
        elif action == "duplicate":
            tokens.insert(i, tokens[j])
        else:
            tokens[i], tokens[j] = tokens[j], tokens[i]
    text = ""
    for token in tokens:
        text += token + draw(SEPARATORS)
    return text


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    (base / "secret").mkdir()
    (base / "secret" / "secret.align").write_text(f"not a spec: {MARKER}\n", encoding="utf-8")
    (base / "work" / "sub").mkdir(parents=True)
    return base / "work"


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated_programs(), fmt=st.sampled_from(["text", "json"]))
def test_grammar_based_programs_never_crash(fuzz_dir, text, fmt):
    path = fuzz_dir / "f.align"
    path.write_text(PREAMBLE + text, encoding="utf-8")
    status, out, err = check(path, fmt=fmt)
    assert_well_behaved(status, out, err, fmt)
    assert MARKER not in out + err  # `import "../secret/secret.align"` is refused unread


def test_the_fuzzer_reaches_the_solver(fuzz_dir):
    """The generated programs are not all rejected by the front end: the preamble checks."""
    path = fuzz_dir / "plain.align"
    path.write_text(PREAMBLE + "claim q1: forall s: S. p(s) -> p(s)\nexample q2: p(c)\n", encoding="utf-8")
    status, out, err = check(path, fmt="json")
    assert status == 0, err
    assert [r["verdict"] for r in json.loads(out)["results"]] == ["proved", "witness"]


# ---------------------------------------------------------------- random bytes

@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", PREAMBLE.encode()]), st.binary(max_size=200),
              st.sampled_from([b"", b"claim q: p(c)\n", b"\x00", b"\r"]))
    .map(lambda t: b"".join(t)),
))
def test_random_bytes_never_crash(fuzz_dir, data):
    path = fuzz_dir / "bytes.align"
    path.write_bytes(data)
    assert_well_behaved(*check(path))


@pytest.mark.parametrize("data", [
    pytest.param(b"\xef\xbb\xbf" + PREAMBLE.encode() + b"claim q: p(c) -> p(c)\n", id="byte-order-mark"),
    pytest.param(PREAMBLE.replace("\n", "\r").encode() + b"claim q: p(c) -> p(c)\r", id="cr-newlines"),
    pytest.param(PREAMBLE.replace("\n", "\r\n").encode() + b"claim q: p(c) -> p(c)\r\n", id="crlf-newlines"),
])
def test_newline_conventions_and_a_byte_order_mark_are_accepted(fuzz_dir, data):
    path = fuzz_dir / "ok.align"
    path.write_bytes(data)
    status, out, err = check(path, fmt="json")
    assert status == 0, err
    assert [r["verdict"] for r in json.loads(out)["results"]] == ["proved"]


@pytest.mark.parametrize("data, line, col", [
    pytest.param(b"sort S\n\n  pred \xff p\n", 3, 8, id="invalid-byte"),
    pytest.param(b"sort S\npred p: S \xed\xa0\x80\n", 2, 11, id="encoded-surrogate"),
    pytest.param(b"sort \xc0\xafS\n", 1, 6, id="overlong"),
])
def test_non_utf8_points_at_the_first_bad_byte(fuzz_dir, data, line, col):
    path = fuzz_dir / "latin.align"
    path.write_bytes(data)
    status, _, err = check(path)
    assert status == 2
    assert err.startswith(f"{path}:{line}:{col}: error: {path} is not UTF-8 text"), err


@pytest.mark.parametrize("text, code", [
    pytest.param("sort S\npred p: S\nclaim q: p(\x00)\n", "bad-character", id="nul-in-formula"),
    pytest.param('import "a\x00b.align"\n', "import-error", id="nul-in-import"),
    pytest.param('import "a\\u0000b.align"\n', "import-error", id="escaped-nul-in-import"),
    pytest.param('import "' + "x" * 5000 + '"\n', "import-error", id="name-too-long"),
    pytest.param("sort S\npred p: S\nclaim q: " + "p(x)" * 40_000 + "\n", "syntax", id="huge-line"),
    pytest.param("sort " + "S" * 300_000 + "\n" + "claim q: true and\n", "syntax", id="huge-name"),
])
def test_hostile_lines_are_diagnostics(fuzz_dir, text, code):
    path = fuzz_dir / "line.align"
    path.write_text(text, encoding="utf-8")
    status, out, err = check(path, fmt="json")
    assert_well_behaved(status, out, err, "json")
    assert status == 2 and code in [e["code"] for e in json.loads(out)["errors"]], err


def test_too_large_file_through_the_command_line(tmp_path):
    path = tmp_path / "big.align"
    path.write_text("sort S\n" + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    status, _, err = check(path)
    assert status == 2
    assert err.startswith(f"{path}:1:1: error: file is larger than {MAX_FILE_BYTES >> 20} MiB [too-large]"), err
    assert "split the specification" in err


# Each construct nested beyond the limit is a `too-deep` diagnostic (parentheses
# and `not` are covered in test_parser.py and test_cli.py).
DEEP = 3 * MAX_DEPTH
NESTED = {
    "quantifiers": "forall x: S. " * DEEP + "p(x)",
    "if-then-else": "if p(c) then " * DEEP + "c" + " else c" * DEEP + " = c",
    "applications": "h(" * DEEP + "c" + ")" * DEEP + " = c",
    "minus": "f(c) = " + "-" * DEEP + "1",
    "implications": "p(c) -> " * DEEP + "p(c)",
}


@pytest.mark.parametrize("formula", NESTED.values(), ids=NESTED.keys())
def test_nesting_beyond_the_limit_of_each_construct(tmp_path, formula):
    path = tmp_path / "deep.align"
    path.write_text(PREAMBLE + f"claim q: {formula}\n", encoding="utf-8")
    status, _, err = check(path)
    assert status == 2 and "[too-deep]" in err and "Traceback" not in err, err[-500:]


def test_nesting_just_within_the_limit_runs_every_stage_in_the_real_process(tmp_path):
    depth = MAX_DEPTH // 3
    claims = {
        "quantifiers": "forall x: S. " * depth + "p(x) -> p(x)",
        "if_then_else": "(" + "if p(c) then " * depth + "c" + " else c" * depth + ") = c",
        "applications": "h(" * depth + "c" + ")" * depth + " = " + "h(" * depth + "c" + ")" * depth,
        "minus": "f(c) = " + "- " * (2 * (depth // 2)) + "f(c)",
        "implications": "p(c) -> " * depth + "p(c)",
    }
    path = tmp_path / "deep.align"
    path.write_text(PREAMBLE + "".join(f"claim {n}: {f}\n" for n, f in claims.items()), encoding="utf-8")
    result = process("check", "--jobs", "1", "--format", "json", str(path))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    doc = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r["name"]: r["verdict"] for r in doc["results"]} == {n: "proved" for n in claims}


def process(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "translator", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env, **kwargs)


# ---------------------------------------------------------------- imports stay inside

@pytest.fixture
def tree(tmp_path) -> Path:
    """proj/ (a project: it holds .git) beside outside/ (not): a valid secret, an invalid one, and links."""
    outside, proj = tmp_path / "outside", tmp_path / "proj"
    (proj / "sub").mkdir(parents=True)
    (proj / ".git").mkdir()
    outside.mkdir()
    (outside / "valid.align").write_text(f"sort {MARKER}\npred secret_p: {MARKER}\n", encoding="utf-8")
    (outside / "invalid.align").write_text(f"this is not a spec: {MARKER}\n", encoding="utf-8")
    (outside / "notes.txt").write_text(f"{MARKER}\n", encoding="utf-8")
    (proj / "sub" / "shared.align").write_text("sort Shared\npred sp: Shared\n", encoding="utf-8")
    os.symlink(outside / "valid.align", proj / "link_valid.align")
    os.symlink(outside / "invalid.align", proj / "sub" / "link_invalid.align")
    os.symlink(outside, proj / "outdir")
    os.symlink(proj / "sub" / "shared.align", proj / "link_inside.align")
    return tmp_path


def importer(tree: Path, target: str, name: str = "main.align") -> Path:
    path = tree / "proj" / name
    path.write_text(f"sort A\nimport \"{target}\"\nclaim c: forall a: A. a = a\n", encoding="utf-8")
    return path


ESCAPES = {
    "dotdot": "../outside/{}",
    "dotdot-inside-then-out": "sub/../../outside/{}",
    "file-symlink": "link_{}",
    "directory-symlink": "outdir/{}",
    "absolute": "{root}/outside/{}",
}


def escape(tree: Path, kind: str, which: str) -> str:
    if kind == "file-symlink":
        return "link_valid.align" if which == "valid.align" else "sub/link_invalid.align"
    return ESCAPES[kind].format(which, root=tree)


@pytest.mark.parametrize("kind", ESCAPES)
@pytest.mark.parametrize("which", ["valid.align", "invalid.align", "notes.txt"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_escaping_import_is_refused_unread(tree, kind, which, fmt):
    path = importer(tree, escape(tree, kind, which))
    status, out, err = check(path, fmt=fmt)
    assert status == 2
    assert MARKER not in out and MARKER not in err
    assert_well_behaved(status, out, err, fmt)
    head = err.splitlines()[0]
    assert head.startswith(f"{path}:2:1: error: import of ") and head.endswith("[import-outside]"), err
    assert "   2 | import" in err and "     | ^^^^^^" in err
    assert "  = help: " in err and "pass --allow-import-outside to allow it" in err


@pytest.mark.parametrize("kind", ESCAPES)
def test_allow_import_outside_lifts_the_confinement(tree, kind):
    path = importer(tree, escape(tree, kind, "valid.align"))
    path.write_text(path.read_text() + f"example e: exists s: {MARKER}. secret_p(s)\n", encoding="utf-8")
    status, out, err = check(path, "--allow-import-outside", fmt="json")
    assert status == 0, err
    assert [r["verdict"] for r in json.loads(out)["results"]] == ["proved", "witness"]


def test_allowed_import_of_an_invalid_file_shows_it_so_the_refusal_is_what_hides_it(tree):
    path = importer(tree, "../outside/invalid.align")
    status, _, err = check(path, "--allow-import-outside")
    assert status == 2 and MARKER in err  # the marker is visible to the test when the file is read


@pytest.mark.parametrize("target", ["link_inside.align", "sub/shared.align", "sub/../sub/shared.align",
                                    "./sub/shared.align"])
def test_imports_inside_the_tree_are_allowed(tree, target):
    path = importer(tree, target)
    status, _, err = check(path)
    assert status == 0, err


def test_the_tree_is_the_project_not_the_path_named(tree, monkeypatch):
    """A file in sub/ may import its parent's files: they are in its project, whatever path was named."""
    (tree / "proj" / "sub" / "child.align").write_text('import "../top.align"\nclaim c: true\n', encoding="utf-8")
    (tree / "proj" / "top.align").write_text("sort Top\n", encoding="utf-8")
    status, _, err = check(tree / "proj" / "sub" / "child.align")
    assert status == 0, err
    (tree / "proj" / ".git").rmdir()  # no marker: the project is the working directory
    monkeypatch.chdir(tree / "proj" / "sub")
    status, _, err = check(tree / "proj" / "sub" / "child.align")
    assert status == 2 and "[import-outside]" in err
    loaded = load([str(tree / "proj" / "sub" / "child.align"), str(tree / "proj" / "top.align")])
    assert [d.code for d in loaded.diagnostics] == []


def test_a_symlink_found_in_a_checked_directory_that_leads_out_is_not_read(tree):
    for name in ("main.align",):
        (tree / "proj" / name).write_text("claim c: true\n", encoding="utf-8")
    status, out, err = check(tree / "proj", fmt="json")
    assert status == 2 and MARKER not in out + err
    refused = sorted(e["file"].rsplit("/", 1)[1] for e in json.loads(out)["errors"] if e["code"] == "import-outside")
    assert refused == ["link_invalid.align", "link_valid.align"]
    status, out, err = check(tree / "proj", "--allow-import-outside", fmt="json")
    assert status == 2 and MARKER in err  # now read: the invalid one is a syntax error


def test_import_cycle_and_diamond_through_the_command_line(tmp_path):
    (tmp_path / "a.align").write_text('import "b.align"\nimport "c.align"\nclaim top: forall d: D. d = d\n')
    (tmp_path / "b.align").write_text('import "d.align"\n')
    (tmp_path / "c.align").write_text('import "d.align"\n')
    (tmp_path / "d.align").write_text("sort D\n")
    status, out, err = check(tmp_path / "a.align", fmt="json")
    assert status == 0, err  # d.align once: no duplicate declaration of D
    assert [r["name"] for r in json.loads(out)["results"]] == ["top"]

    (tmp_path / "d.align").write_text('import "a.align"\nsort D\n')
    status, out, err = check(tmp_path / "a.align")
    assert status == 2 and "[import-cycle]" in err
    assert_well_behaved(status, out, err)


def test_a_cycle_through_a_symlink_is_still_a_cycle(tmp_path):
    (tmp_path / "a.align").write_text('import "alias.align"\nsort A\n')
    os.symlink(tmp_path / "a.align", tmp_path / "alias.align")
    status, _, err = check(tmp_path / "a.align")
    assert status == 2 and "[import-cycle]" in err, err


def test_self_import_is_a_cycle(tmp_path):
    (tmp_path / "a.align").write_text('import "a.align"\nsort A\n')
    status, _, err = check(tmp_path / "a.align")
    assert status == 2 and "import cycle" in err


# ---------------------------------------------------------------- Ctrl-C

def pigeonhole(n: int) -> str:
    """n pigeons in n - 1 holes: true, and slow to prove (many seconds for n = 12)."""
    return (f"sort P = {{{', '.join(f'p{i}' for i in range(n))}}}\n"
            f"sort H = {{{', '.join(f'h{i}' for i in range(n - 1))}}}\n"
            "fun f: P -> H\n"
            "claim pigeons: exists a, b: P. a != b and f(a) = f(b)\n")


INTERRUPT_GUARD = 300
"""Seconds a process may take to answer Ctrl-C before the test calls it a hang: half the --timeout
the slow claim is given, so a process that answers only when its solver stops fails, however slow
the machine."""


def _read_until(fd: int, wanted: bytes, limit: float | None = None) -> bytes:
    """What the process writes on the pty `fd` until `wanted` is in it, it ends, or `limit` seconds
    pass (by default none: the process ends at its --timeout at the latest)."""
    import select
    data = b""
    deadline = None if limit is None else time.monotonic() + limit
    while wanted not in data:
        if deadline is not None and not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the process ended and closed its side
            break
        if not chunk:
            break
        data += chunk
    return data


def _as_a_terminal_starts_it() -> None:
    """A shell gives its foreground command Ctrl-C's default action. A process started with SIGINT
    ignored keeps ignoring it (Python installs no KeyboardInterrupt then), and a test runner's worker
    can be such a process: without this the test measured the runner, not the command."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to a process group")
@pytest.mark.parametrize("solver", ["z3", "cvc5"])
def test_ctrl_c_exits_130_with_no_result_reported_as_final(tmp_path, solver):
    """Ctrl-C while a solver is at work: the progress line naming the claim is the sign that it is
    (no guess at how long start-up takes), and the answer comes at once whichever solver runs,
    cvc5 included, whose binding holds the interpreter's lock for a whole check (cli._supervised)."""
    if solver == "cvc5" and importlib.util.find_spec("cvc5") is None:
        pytest.skip("cvc5 is not installed")
    import pty
    spec = tmp_path / "slow.align"
    spec.write_text(pigeonhole(12), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm")
    for fmt in ("text", "json"):
        master, slave = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "translator", "check", "--jobs", "1", "--timeout", "600",
                                 "--solver", solver, "--format", fmt, str(spec)], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, start_new_session=True,
                                preexec_fn=_as_a_terminal_starts_it)
        os.close(slave)
        try:
            shown = _read_until(master, b"pigeons")  # the progress line: the claim is being checked
            assert proc.poll() is None and b"pigeons" in shown, "the slow claim finished before it could be interrupted"
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
            err = (shown + _read_until(master, b"no result is final", INTERRUPT_GUARD)).decode(errors="replace")
            status = proc.wait(timeout=INTERRUPT_GUARD)
            out = proc.stdout.read().decode() if proc.stdout else ""
        finally:
            os.close(master)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            if proc.stdout:
                proc.stdout.close()
        assert status == 130, (fmt, status, out, err)
        assert "interrupted" in err and "Traceback" not in err
        assert "pigeons" not in out and "checked" not in out  # no verdict line, no summary
        if fmt == "json":
            with pytest.raises(ValueError):
                json.loads(out)


def test_pytest_plugin_confines_imports_to_the_align_paths(pytester: pytest.Pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    (pytester.path / "outside").mkdir()
    (pytester.path / "outside" / "secret.align").write_text(f"this is not a spec: {MARKER}\n", encoding="utf-8")
    (pytester.path / "specs" / "sub").mkdir(parents=True)
    (pytester.path / "specs" / "pyproject.toml").write_text("", encoding="utf-8")  # the project: specs/
    (pytester.path / "specs" / "top.align").write_text("sort Top\n", encoding="utf-8")
    (pytester.path / "specs" / "sub" / "child.align").write_text(
        'import "../top.align"\nclaim inside: forall t: Top. t = t\n', encoding="utf-8")
    (pytester.path / "specs" / "escape.align").write_text(
        'import "../outside/secret.align"\nclaim c: true\n', encoding="utf-8")
    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "-p", "no:cacheprovider",
                                           "--align", "specs", "-v")
    output = result.stdout.str() + result.stderr.str()
    assert MARKER not in output
    result.stdout.fnmatch_lines(["*specs/escape.align::input-errors FAILED*",
                                 "*specs/sub/child.align::inside PASSED*"])
    assert "[import-outside]" in output
