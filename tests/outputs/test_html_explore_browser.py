"""The report's discovered diagram (issue 13, item 5) in a real browser: headless Chromium, via Selenium.

The page for Hubinger's two diagrams (the fixtures of test_html_browser.py)
is opened from disk; the discovered diagram of spec/hubinger.align is laid
out and visible beside the stated one, its arrows that no claim states are
drawn in their own (dashed, blue) style unlike the stated ones, a click on a
definition's box lands on what it does not imply, every implication the
exploration refutes is listed there with a link that reaches its world, and
following one shows that world, explained. Skips as test_html_browser.py does.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from translator.outputs.html import slug
from translator.pipeline import front_end
from translator.premises.explore import ExploreOptions, explore_programs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_html_browser import HUBINGER, ROOT, _in_view, _missing, browser, page  # noqa: E402, F401

pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")

SECTION = f"discovered-{slug(f'{HUBINGER}-Agent')}"

_STROKE = """
return [...document.getElementById(arguments[0]).querySelectorAll('figure.diagram g.edge.' + arguments[1])]
  .map(g => { const p = g.querySelector('path'); return [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')]; });
"""


def test_the_discovered_diagram_is_drawn_beside_the_stated_one_in_its_own_style(browser, page):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    file_section = browser.find_element(By.ID, "file-spec-hubinger-align")
    stated, discovered = file_section.find_elements(By.CSS_SELECTOR, "figure.diagram svg")[:2]
    section = browser.find_element(By.ID, SECTION)
    assert section.find_element(By.CSS_SELECTOR, "figure.diagram svg") == discovered
    assert stated.is_displayed() and discovered.is_displayed()
    assert discovered.size["width"] > 200 and discovered.size["height"] > 150
    new = browser.execute_script(_STROKE, SECTION, "discovered")
    said = browser.execute_script(_STROKE, SECTION, "stated")
    assert new and said
    assert all(dash for _, dash in new) and not any(dash for _, dash in said)
    assert {colour for colour, _ in new}.isdisjoint({colour for colour, _ in said})
    assert "objective_robust and capability_robust -> robust" in section.text  # holds, not stated


def test_every_non_arrow_reaches_its_world(browser, page):  # noqa: F811
    from selenium.webdriver.common.by import By

    programs, diags, _ = front_end([str(ROOT / HUBINGER)])
    (e,) = explore_programs(programs, ExploreOptions(sort="Agent"))
    browser.get(page.as_uri())
    section = browser.find_element(By.ID, SECTION)
    links = section.find_elements(By.CSS_SELECTOR, "details.nonarrows ul.nonarrows li li a")
    assert len(links) == len(e.refuted) > 100
    targets = {link.get_attribute("href").split("#")[1] for link in links}
    assert targets == {f"world-{slug(f'{HUBINGER}-Agent')}-{w.name}" for w in e.worlds if any(
        r.world == w.name for r in e.refuted)}
    for target in targets:
        assert "World" in browser.find_element(By.ID, target).get_attribute("textContent")

    # The box of `intent_aligned` in the picture leads to what it does not imply, and on to a world.
    box = browser.execute_script(
        "return [...arguments[0].querySelectorAll('figure.diagram g.node')]"
        ".find(g => g.querySelector('text').textContent.trim() === 'intent_aligned').querySelector('a')", section)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    entry = browser.find_element(By.ID, browser.execute_script("return location.hash")[1:])
    assert entry.text.startswith("intent_aligned does not entail") and _in_view(browser, entry)
    link = entry.find_element(By.CSS_SELECTOR, "li a")
    target = link.get_attribute("href").split("#")[1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.execute_script("return location.hash") == f"#{target}"
    world = browser.find_element(By.ID, target)
    assert world.is_displayed() and _in_view(browser, world)
    assert "intent_aligned" in world.find_element(By.CSS_SELECTOR, "table.elements").text
