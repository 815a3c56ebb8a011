"""examples/notebook.ipynb run by nbclient in a real kernel: the API and `%%align` as a notebook uses them."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "notebook.ipynb"


def test_the_example_notebook_runs_and_shows_its_results():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    first, shown, _load, magic, verdicts, explored, matrix = outputs
    assert first[0]["data"]["text/plain"].startswith("(True, ")
    for html in (shown[0]["data"]["text/html"], magic[0]["data"]["text/html"]):
        assert html.startswith('<div class="alignproof">') and '<table class="results">' in html
    assert "<svg" in magic[0]["data"]["text/html"]
    assert verdicts[0]["data"]["text/plain"] == "[('forward', 'proved'), ('backward', 'counterexample')]"
    assert 'id="discovered-' in explored[0]["data"]["text/html"] and "<svg" in explored[0]["data"]["text/html"]
    assert '<table class="results matrix">' in matrix[0]["data"]["text/html"]
    assert "implications decided" in explored[0]["data"]["text/plain"]
