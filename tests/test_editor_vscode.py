"""The VS Code extension in `editors/vscode/`: its TextMate grammar against the
spec library and the project's lexer, its manifest, and its client.

The grammar is run by `vscode-textmate` with `vscode-oniguruma`, the libraries
VS Code itself tokenizes with, from a Node script (`test/tokenize.js`); the
tools are installed from `package-lock.json` with `npm ci` on first use.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from translator.cli import lsp as lsp_command
from translator.frontend import lexer as project
from translator.frontend.source import SourceFile
from translator.logic.core import BUILTINS
from translator.outputs import highlight

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "align.tmLanguage.json"
SPEC_FILES = sorted((ROOT / "spec").rglob("*.align"))
GOLDEN_FILES = sorted((ROOT / "tests" / "golden").glob("*.align"))
EVERY_TOKEN = ROOT / "tests" / "fixtures" / "every_token.align"
FILES = [*SPEC_FILES, *GOLDEN_FILES, EVERY_TOKEN]
KEYWORD_SCOPES = ("storage.type.", "keyword.", "constant.language.")


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _node_tools() -> None:
    """`npm ci` once (under a lock: test workers run at once), or skip saying why."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the TextMate grammar is not run")
    with open(EXTENSION / "package-lock.json", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (EXTENSION / "node_modules" / "vscode-textmate").is_dir() \
                and (EXTENSION / "node_modules" / "vscode-oniguruma").is_dir():
            return
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.skip(f"npm ci could not install vscode-textmate and vscode-oniguruma: {done.stderr[-500:]}")


def _node(script: str, *args: str, stdin: str = "") -> dict:
    done = subprocess.run(["node", str(EXTENSION / "test" / script), *args], input=stdin,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _grammar_words() -> set[str]:
    """Every identifier-like word written in the grammar's regular expressions."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("match", "begin", "end") and isinstance(value, str):
                    found.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(GRAMMAR.read_text(encoding="utf-8")))
    return found


SYMBOLS = [*project.SYMBOLS, *project.TYPE_SYMBOLS]


@pytest.fixture(scope="module")
def scoped():
    """Per document, per line, the (text, scopes) tokens the grammar gives."""
    _node_tools()
    vocabulary = _grammar_words() | set(highlight.KEYWORDS) | set(BUILTINS) | set(highlight.TYPES)
    documents = {str(p): p.read_text(encoding="utf-8") for p in FILES}
    documents.update({f"word:{w}": w for w in vocabulary})
    documents.update({f"primed:{w}": w + "'" for w in vocabulary})
    documents.update({f"symbol:{s}": s for s in SYMBOLS})
    return _node("tokenize.js", stdin=json.dumps({"documents": documents}))


def _single(scoped, key) -> list[str]:
    (line,) = scoped[key]
    assert len(line) == 1, (key, line)
    return line[0][1]


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_every_token_is_scoped(scoped, path):
    tokens = [t for line in scoped[str(path)] for t in line]
    assert "".join(text for text, _ in tokens) == path.read_text(encoding="utf-8").replace("\n", "")
    bare = [text for text, scopes in tokens if scopes == ["source.align"] and text.strip()]
    assert bare == []
    invalid = [text for text, scopes in tokens if any(s.startswith("invalid") for s in scopes)]
    assert invalid == (["/"] if path.name == "syntax_errors.align" else [])


def _category(token, text: str) -> tuple[str, ...]:
    """The scope prefixes a token of the project's lexer may get."""
    if text in highlight.KEYWORDS:  # the §6 keywords are still names to the project's lexer
        return KEYWORD_SCOPES
    if token.type == "NAME":
        if text in highlight.TYPES:
            return ("support.type.builtin",)
        if text in BUILTINS:
            return ("support.function.builtin",)
        return ("variable.other", "entity.name", "constant.other.element", "support.constant.verdict")
    if token.type == "NUMBER":
        return ("constant.numeric",)
    if token.type == "STRING":
        return ("string.quoted.double",)
    if token.type.startswith("_"):
        return ("punctuation",)
    return ("keyword.operator",)


def _spans(lines) -> list[tuple[int, int, list[str]]]:
    """(start, end, scopes) in code points of the whole text, newlines counted."""
    spans, offset = [], 0
    for line in lines:
        for text, scopes in line:
            spans.append((offset, offset + len(text), scopes))
            offset += len(text)
        offset += 1
    return spans


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_scopes_follow_the_project_lexer(scoped, path):
    text = path.read_text(encoding="utf-8")
    lexed = project.tokenize(SourceFile(str(path), text))
    spans = _spans(scoped[str(path)])
    for token in lexed.tokens:
        raw = text[token.start_pos:token.end_pos]
        inside = [s for s in spans if s[0] < token.end_pos and s[1] > token.start_pos]
        assert inside and inside[0][0] == token.start_pos and inside[-1][1] == token.end_pos, (raw, inside)
        assert len(inside) == 1 or token.type == "STRING", (raw, inside)  # a string's quotes and escapes apart
        wanted = _category(token, raw)
        assert all(any(scope.startswith(w) for scope in s[2][1:2] for w in wanted) for s in inside), (raw, inside)
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    for comment in lexed.comments:
        start = line_starts[comment.line - 1] + comment.column - 1
        inside = [s for s in spans if start <= s[0] < start + 1 + len(comment.text)]
        kind = "comment.line.number-sign.documentation" if comment.alone else "comment.line.number-sign.align"
        assert inside and all(s[2][1].startswith(kind) for s in inside), (comment, inside)


def test_keywords_are_the_project_lexers(scoped):
    """The grammar's keyword list is the lexer's (with the §6 keywords the lexer is about to get)."""
    keywords = {w for w in _grammar_words() | set(highlight.KEYWORDS)
                if _single(scoped, f"word:{w}")[-1].startswith(KEYWORD_SCOPES)}
    assert keywords == set(project.KEYWORDS) | set(highlight.SECTION6_KEYWORDS) == set(highlight.KEYWORDS)
    for word in keywords:  # a keyword is a whole identifier: a prime makes it a name
        assert _single(scoped, f"primed:{word}")[-1] == "variable.other.align", word


def test_types_and_built_ins_are_the_projects(scoped):
    words = _grammar_words() | set(BUILTINS) | set(highlight.TYPES)
    types = {w for w in words if _single(scoped, f"word:{w}")[-1].startswith("support.type.builtin")}
    assert types == set(project.TYPE_SYMBOLS.values()) | set(project.TYPE_SYMBOLS)
    builtins = {w for w in words if _single(scoped, f"word:{w}")[-1].startswith("support.function.builtin")}
    assert builtins == set(BUILTINS)


def test_every_symbol_is_one_token_of_its_class(scoped):
    for symbol, token_type in project.SYMBOLS.items():
        scope = _single(scoped, f"symbol:{symbol}")[-1]
        assert scope.startswith("punctuation." if token_type.startswith("_") else "keyword.operator."), symbol
        if token_type in ("FORALL", "EXISTS", "NOT", "AND", "OR"):
            word = project.CANONICAL[token_type]
            assert scope == _single(scoped, f"word:{word}")[-1], (symbol, word)  # ∀ as forall


def _line(scoped, prefix: str) -> dict[str, str]:
    """The innermost scope of each token of the first line of every_token.align that starts with `prefix`."""
    line = next(line for line in scoped[str(EVERY_TOKEN)] if "".join(t for t, _ in line).startswith(prefix))
    return {text: scopes[-1] for text, scopes in line if text.strip()}


@pytest.mark.parametrize("prefix, name, scope", [
    ("sort Agent", "Agent", "entity.name.type.sort.align"),
    ("sort Empty'ish", "Empty'ish", "entity.name.type.sort.align"),
    ("sort Dist", "train", "constant.other.element.align"),
    ("const humans", "humans", "entity.name.constant.align"),
    ("const humans", "Objective", "variable.other.align"),
    ("fun base", "base", "entity.name.function.align"),
    ("pred aligned", "aligned", "entity.name.function.align"),
    ("bridge as_agent", "as_agent", "entity.name.function.align"),
    ("def good'", "good'", "entity.name.function.align"),
    ("axiom implication", "implication", "entity.name.label.axiom.align"),
    ("claim agreeing:", "agreeing", "entity.name.label.claim.align"),
    ("claim agreeing:", "as_agent", "variable.other.align"),
    ("example some", "some", "entity.name.label.example.align"),
    ("lemma helper", "helper", "entity.name.label.lemma.align"),
    ("reading strict", "strict", "entity.name.namespace.reading.align"),
    ("  drop axiom", "implication", "entity.name.label.axiom.align"),
    ("claim agreeing_on", "counterexample", "support.constant.verdict.align"),
    ("claim per_reading", "strict", "variable.other.reading.align"),
    ("claim per_reading", "in", "keyword.other.in.align"),
])
def test_declared_names_and_expectations(scoped, prefix, name, scope):
    assert _line(scoped, prefix)[name] == scope


def test_manifest():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "align" and language["extensions"] == [".align"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert grammar["language"] == "align"
    assert json.loads((EXTENSION / grammar["path"]).read_text(encoding="utf-8"))["scopeName"] == grammar["scopeName"]
    configuration = json.loads((EXTENSION / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert ["(", ")"] in configuration["brackets"] and ["{", "}"] in configuration["brackets"]
    assert {(p["open"], p["close"]) for p in configuration["autoClosingPairs"]} == {("(", ")"), ("{", "}"),
                                                                                    ('"', '"')}
    word = re.compile(configuration["wordPattern"])
    assert word.fullmatch("good'") and word.fullmatch("agree_on") and word.fullmatch("3.5")
    assert (EXTENSION / manifest["main"]).is_file()
    assert "vscode-languageclient" in manifest["dependencies"]
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    assert {"node_modules/vscode-languageclient", "node_modules/vscode-textmate",
            "node_modules/vscode-oniguruma"} <= set(lock["packages"])
    assert "node_modules/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_client_starts_alignproof_lsp_over_stdio():
    _node_tools()
    started = _node("client.js")
    assert started["serverOptions"] == {"command": "alignproof", "args": ["lsp"], "transport": 0}  # stdio
    assert started["clientOptions"]["documentSelector"] == [{"scheme": "file", "language": "align"}]
    assert started["clientOptions"]["initializationOptions"] == {"timeout": 10}  # the server's `timeout`
    setting = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))[
        "contributes"]["configuration"]["properties"]["alignproof.check.timeout"]
    parser = argparse.ArgumentParser()
    lsp_command.configure(parser)
    assert setting["default"] == 10 == parser.parse_args([]).timeout  # the command's own default
    assert started["started"] == 1 and started["stopped"] == 1 and started["messages"] == []
    failed = _node("client.js", "/opt/env/bin/alignproof", "fail")
    assert failed["serverOptions"]["command"] == "/opt/env/bin/alignproof"
    (message,) = failed["messages"]
    assert "/opt/env/bin/alignproof lsp" in message and "PATH" in message and "alignproof.server.command" in message
    assert lsp_command.INSTALL_HINT in message  # the server's own hint: the lsp extra
    # the names the client imports are the library's
    declarations = (EXTENSION / "node_modules" / "vscode-languageclient" / "lib" / "node" / "main.d.ts").read_text()
    assert "export declare class LanguageClient" in declarations
    assert re.search(r"export declare enum TransportKind \{\s*stdio = 0,", declarations)


def test_the_extension_packages_with_vsce(tmp_path):
    """`vsce package` in a copy of the folder, its client library installed with `npm ci --omit=dev`: the
    `.vsix` holds the manifest, the grammar, the client and its library, and none of the tests. Offline
    only (npm's cache): the test skips, saying why, where node, npm or vsce is not there."""
    import zipfile
    if shutil.which("node") is None or shutil.which("npx") is None or shutil.which("npm") is None:
        pytest.skip("node, npm and npx are not installed: the extension is not packaged")
    folder = tmp_path / "vscode"
    shutil.copytree(EXTENSION, folder, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    offline = {"cwd": folder, "capture_output": True, "text": True, "timeout": 300}
    installed = subprocess.run(["npm", "ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], **offline)
    if installed.returncode != 0:
        pytest.skip(f"npm ci --offline cannot install vscode-languageclient here: {installed.stderr[-300:]}")
    version = subprocess.run(["npx", "--offline", "--yes", "@vscode/vsce", "--version"], **offline)
    if version.returncode != 0:
        pytest.skip(f"@vscode/vsce is not in npm's cache (npx --offline): {version.stderr[-300:]}")
    target = tmp_path / "alignproof.vsix"
    packed = subprocess.run(["npx", "--offline", "--yes", "@vscode/vsce", "package", "--skip-license",
                             "--allow-missing-repository", "-o", str(target)], **offline)
    assert packed.returncode == 0, packed.stderr + packed.stdout
    names = {n.lower() for n in zipfile.ZipFile(target).namelist()}  # vsce spells the readme readme.md
    for part in ("package.json", "extension.js", "language-configuration.json", "syntaxes/align.tmLanguage.json",
                 "README.md", "node_modules/vscode-languageclient/package.json"):
        assert f"extension/{part}".lower() in names, part
    assert not any(n.startswith("extension/test/") for n in names)
    manifest = json.loads(zipfile.ZipFile(target).read("extension/package.json"))
    assert manifest["main"] == "./extension.js" and manifest["contributes"]["grammars"][0]["language"] == "align"
