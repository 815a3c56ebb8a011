"""`alignproof lsp` as a command: its exit statuses, the install hint, its imports, and a channel that
carries nothing but the protocol's frames (the features are tested in tests/lsp/)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from translator.cli import dispatch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_commands import imported_after  # noqa: E402


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def frames(data: bytes) -> list[dict]:
    """Every message of `data`, which must be nothing but Content-Length frames."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        assert set(fields) <= {b"Content-Length", b"Content-Type"}, data[:200]
        length = int(fields[b"Content-Length"])
        out.append(json.loads(rest[:length]))
        data = rest[length:]
    return out


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": None,
                                                                           "rootUri": None}}


def serve(tmp_path: Path, *messages: dict) -> tuple[int, list[dict], str]:
    log = tmp_path / "server.log"
    done = subprocess.run([sys.executable, "-m", "translator", "lsp", "--log", str(log)],
                          input=b"".join(frame(m) for m in messages), capture_output=True, timeout=300, cwd=tmp_path)
    return done.returncode, frames(done.stdout), log.read_text(encoding="utf-8") if log.exists() else ""


def test_a_shutdown_then_exit_ends_with_status_0(tmp_path):
    spec = (tmp_path / "a.align").as_uri()
    status, answers, log = serve(
        tmp_path, INITIALIZE, {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": spec, "languageId": "align", "version": 1, "text": "sort S\nconst c: T\n"}}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None})
    assert status == 0, log
    capabilities = answers[0]["result"]["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["definitionProvider"]
    assert capabilities["documentSymbolProvider"] and capabilities["codeActionProvider"]
    assert capabilities["textDocumentSync"]["save"] is not None
    [published] = [a for a in answers if a.get("method") == "textDocument/publishDiagnostics"]
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["undeclared"]
    assert answers[-1] == {"jsonrpc": "2.0", "id": 2, "result": None}
    assert "Traceback" not in log


def test_a_client_that_goes_away_ends_it_with_status_1(tmp_path):
    status, answers, _ = serve(tmp_path, INITIALIZE)
    assert status == 1 and answers[0]["id"] == 1


def test_without_pygls_it_is_a_usage_error_with_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)  # as if not installed: importing it fails
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["lsp"], out, err) == 2
    assert "the language server needs the pygls and lsprotocol packages" in err.getvalue()
    assert "install them with: pip install 'alignproof[lsp]'" in err.getvalue()
    assert out.getvalue() == ""


def test_a_bad_log_file_is_an_input_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "translator", "lsp", "--log", str(tmp_path / "no" / "such.log")],
                          input=b"", capture_output=True, timeout=300)
    assert done.returncode == 2 and b"cannot write the log" in done.stderr and done.stdout == b""


def test_the_command_module_imports_neither_pygls_nor_the_server():
    assert imported_after("import translator.cli.lsp", "pygls", "lsprotocol", "translator.lsp.server") == []
