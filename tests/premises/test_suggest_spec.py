"""Every suggestion `alignproof suggest` makes for a refuted claim of spec/, pasted alone into its
file, parses, type checks, keeps the axioms consistent and proves the claim (issue 15, item 4).

Each claim costs a search and a check per suggestion, so the default run tries a sample of the
refuted claims (`SAMPLE`, picked with conftest.SWEEP_SEED); the whole sweep is the `full_sweep` test,
which CI runs too (.ci/run)."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import sampled

from translator.check.checker import check_program
from translator.cli import dispatch
from translator.pipeline import front_end

ROOT = Path(__file__).resolve().parents[2]
VERDICTS = json.loads((ROOT / "tests" / "spec_verdicts.json").read_text())
# `suggest` takes a claim of the program as written: the verdicts under base (a key without `[READING]`)
REFUTED = sorted(key for key, verdict in VERDICTS.items() if verdict == "counterexample" and not key.endswith("]"))
SAMPLE = sampled(REFUTED, 10)
"""The refuted claims the default run tries; every one of them: -m full_sweep."""


def test_there_are_refuted_claims_to_try():
    assert len(REFUTED) >= 20


@pytest.mark.parametrize("key", SAMPLE)
def test_every_suggestion_pastes_and_proves_the_claim(key, tmp_path):
    pastes_and_proves(key, tmp_path)


@pytest.mark.full_sweep
@pytest.mark.parametrize("key", REFUTED)
def test_every_suggestion_for_every_refuted_claim_pastes_and_proves_it(key, tmp_path):
    pastes_and_proves(key, tmp_path)


def pastes_and_proves(key: str, tmp_path: Path) -> None:
    """`suggest` on the claim `key`, then each suggested axiom pasted alone into a copy of spec/."""
    path, claim = key.split("::")
    out, err = io.StringIO(), io.StringIO()
    status = dispatch(["suggest", str(ROOT / path), "--claim", claim], out, err)
    assert status in (0, 1), err.getvalue()
    lines = out.getvalue().splitlines()
    assert all(line.startswith(("axiom suggested_", "  #", "#")) for line in lines)
    axioms = [line for line in lines if line.startswith("axiom ")]
    assert (status == 0) == bool(axioms)
    copy = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", copy, ignore=shutil.ignore_patterns("*.md", "figures"))
    target = copy / Path(path).name
    original = target.read_text()
    for axiom in axioms:
        target.write_text(original + "\n" + axiom + "\n")
        programs, diags, _ = front_end([str(target)])
        assert not diags, (axiom, diags)
        outcome = check_program(programs[0], names=[claim])
        assert outcome.inconsistency is None, axiom
        result = outcome.results[0]
        assert result.verdict.value == "proved", (axiom, result.verdict)
        assert not any(w.startswith("vacuous") for w in result.warnings), axiom
