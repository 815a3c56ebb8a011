"""`alignproof report --audit`: the premises section of each file (translator/outputs/html_audit.py)."""
from __future__ import annotations

import io
import re
from pathlib import Path

from translator.cli import dispatch
from translator.options import Options
from translator.outputs.html import render_page
from translator.premises.audit import audit
from translator.premises.findings import AuditedRun

SPEC = ("sort S\nconst c: S\npred p: S\npred q: S\npred r: S\n"
        "axiom direct: forall x: S. p(x) -> q(x)\naxiom p_r: forall x: S. p(x) -> r(x)\n"
        "axiom r_q: forall x: S. r(x) -> q(x)\naxiom some_r: exists x: S. r(x)\n"
        "claim at_c: p(c) -> q(c)\nclaim restated: forall x: S. p(x) -> r(x)\n")


def _section(page: str) -> str:
    start = page.index("Premises: what rests on each axiom")
    return page[start:page.index("</section>", start)]


def test_the_report_shows_what_rests_on_each_axiom(tmp_path):
    path = tmp_path / "spec.align"
    path.write_text(SPEC, encoding="utf-8")
    target = tmp_path / "report.html"
    out, err = io.StringIO(), io.StringIO()
    assert dispatch(["report", "--audit", str(path), "-o", str(target)], out, err) == 0
    section = _section(target.read_text(encoding="utf-8"))
    rows = {re.search(r"<code>(\w+)</code>", row).group(1): row for row in section.split("<tr")[2:]}
    assert 'href="#claim-at_c"' in rows["direct"] and 'href="#claim-restated"' not in rows["direct"]
    assert rows["p_r"].count('href="#claim-restated"') == 2  # rests on it and fails without it
    assert "follows from" in rows["direct"]
    assert "Idle (no proved claim needs them): <code>some_r</code>" in section
    assert "Circular:" in section and "gives back <code>p_r</code>" in section


def test_the_claims_table_shows_every_premise_set_linked_to_its_axiom(tmp_path):
    path = tmp_path / "spec.align"
    path.write_text(SPEC, encoding="utf-8")
    page = render_page(AuditedRun.of(audit([str(path)], Options(jobs=1))), [str(path)], use_dot=False)
    row = re.search(r'<tr id="claim-at_c".*?</tr>', page, re.S).group(0)
    sets = [re.findall(r'href="#axiom-[\w-]*--(\w+)"', part) for part in row.split("<em>or</em>")]
    assert sets == [["direct"], ["p_r", "r_q"]]
    for name in ("direct", "p_r", "r_q"):
        assert re.search(rf'<tr id="axiom-[\w-]*--{name}">', page)
    plain = render_page(audit([str(path)], Options(jobs=1)).run, [str(path)], use_dot=False)
    assert "<em>or</em>" not in plain and 'href="#axiom-' not in plain


def test_without_an_audit_there_is_no_section(tmp_path):
    path = tmp_path / "spec.align"
    path.write_text(SPEC, encoding="utf-8")
    target = tmp_path / "report.html"
    assert dispatch(["report", str(path), "-o", str(target)], io.StringIO(), io.StringIO()) == 0
    assert "Premises:" not in target.read_text(encoding="utf-8")


def test_inconsistent_axioms_show_conflicts_and_repairs_escaped(tmp_path):
    path = tmp_path / "x.align"
    path.write_text("sort S\nconst c: S\npred p: S\naxiom a: p(c)\naxiom b: not p(c)\nclaim t: p(c)\n",
                    encoding="utf-8")
    found = audit([str(path)], Options(jobs=1))
    page = render_page(AuditedRun.of(found), [str(path)], use_dot=False)
    section = _section(page)
    assert "The axioms are inconsistent." in section
    assert "<li><code>a</code>, <code>b</code></li>" in section
    assert "remove <code>a</code>" in section and "remove <code>b</code>" in section


def test_an_audited_run_is_the_run_it_was_made_from(tmp_path):
    path = Path(tmp_path) / "spec.align"
    path.write_text(SPEC, encoding="utf-8")
    found = audit([str(path)], Options(jobs=1))
    audited = AuditedRun.of(found)
    assert audited.results == found.run.results and audited.programs == found.run.programs
    assert audited.program(str(path)) is found.programs[0] and audited.program("other.align") is None


def test_a_lemma_in_a_premise_set_links_to_its_own_row(tmp_path):
    path = tmp_path / "spec.align"
    path.write_text("sort S\nconst c: S\npred p: S\npred q: S\npred r: S\n"
                    "axiom p_r: forall x: S. p(x) -> r(x)\naxiom r_q: forall x: S. r(x) -> q(x)\n"
                    "lemma p_q: forall x: S. p(x) -> q(x)\nclaim at_c: p(c) -> q(c)\n", encoding="utf-8")
    page = render_page(AuditedRun.of(audit([str(path)], Options(jobs=1))), [str(path)], use_dot=False)
    row = re.search(r'<tr id="claim-at_c".*?</tr>', page, re.S).group(0)
    assert 'href="#claim-p_q"' in row and re.search(r'<tr id="claim-p_q"', page)
    assert re.findall(r'href="#axiom-[\w-]*--(\w+)"', row) == ["p_r", "r_q"]
