"""Exact numbers in and out (translator/logic/numbers.py): long integers, exact decimals, exact JSON."""
from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from conftest import run_cli

from translator.logic.numbers import decimal_text, dumps, json_real, loads


def _run(tmp_path, text: str) -> tuple[int, dict, str]:
    (tmp_path / "n.align").write_text(text, encoding="utf-8")
    status, out, err = run_cli("check", str(tmp_path / "n.align"), "--format", "json")
    assert "internal error" not in err and "Traceback" not in err, err[-2000:]
    return status, loads(out), err


def test_dumps_writes_what_json_writes():
    docs = [{"a": [1, 2.5, None, True, "é"], "b": {}, "c": [], "d": {"e": [{"f": -0.125}]}}, [], {}, "x", 3]
    for doc in docs:
        for indent in (None, 2):
            for keys in (False, True):
                assert dumps(doc, indent=indent, sort_keys=keys) == json.dumps(
                    doc, indent=indent, sort_keys=keys, ensure_ascii=False)


def test_reals_are_written_exactly():
    assert decimal_text(Fraction("10000000000000000000.1"), point=True) == "10000000000000000000.1"
    assert decimal_text(Fraction(1, 3)) is None
    assert json_real(Fraction(5, 2)) == 2.5
    assert json_real(Fraction(1, 3)) == "1/3"
    assert dumps([json_real(Fraction("10000000000000000000.1"))]) == "[10000000000000000000.1]"
    assert loads("[10000000000000000000.1]") == [Decimal("10000000000000000000.1")]


def test_a_long_integer_in_a_model(tmp_path):
    big = "9" * 4400
    status, doc, _ = _run(tmp_path, f"claim c: forall x: Int. x != {big}\n")
    [result] = doc["results"]
    assert status == 1 and result["verdict"] == "counterexample"
    assert result["witness"]["x"] == int(big)


def test_a_long_real_in_a_model_and_its_explanation(tmp_path):
    value = "1" * 400 + ".5"
    status, doc, _ = _run(tmp_path, f"claim c: forall x: Real. x != {value}\n"
                          "claim d: forall x: Real. x != 10000000000000000000.1\n")
    results = {r["name"]: r for r in doc["results"]}
    assert Fraction(results["c"]["witness"]["x"]) == Fraction(value)
    assert results["d"]["witness"]["x"] == Decimal("10000000000000000000.1")


def test_a_five_thousand_digit_literal_is_a_number(tmp_path):
    status, doc, _ = _run(tmp_path, f"claim c: {'7' * 5000} > 0\n")
    assert status == 0 and doc["results"][0]["verdict"] == "proved"


def test_a_folded_coefficient_too_long_is_an_input_error(tmp_path):
    digits = "9" * 60_000
    status, doc, err = _run(tmp_path, f"claim c: forall x: Int. ({digits} * {digits}) * x = x\n")
    assert status == 2 and "more than 100,000 digits" in err


def test_a_coefficient_past_pythons_digit_limit_is_checked(tmp_path):
    digits = "9" * 5000  # 2 * 5,000 digits once the scales are folded: past Python's 4,300
    status, doc, _ = _run(tmp_path, f"claim c: forall x: Int. {digits} * ({digits} * x) = x\n")
    assert status == 1 and doc["results"][0]["witness"]["x"] != 0
