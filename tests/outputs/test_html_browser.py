"""The HTML report in a real browser: headless Chromium, driven by Selenium.

The page for Hubinger's main diagram is opened from disk; the test checks
that the diagram's SVG is laid out and visible, clicks a refuted (dashed)
arrow with the mouse, and checks that the browser lands on that arrow's
counterexample. Skips, saying why, where Chromium, its driver, Selenium or
Graphviz is not installed (`.ci/run` installs them).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from translator.outputs.html import render_page
from translator.pipeline import Options, run

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
HUBINGER = str(ROOT / "spec" / "hubinger.align")
REFUTED = "deployment_only_reading_breaks_third_arrow"

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,900")


def check(paths, options=Options()):
    """The run of `paths` with its programs, as `alignproof report` makes it."""
    outcome = run(list(paths), options, programs_needed=True)
    return outcome, list(outcome.programs)


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no browser: {CHROMIUM} is missing (Debian package chromium)"
    if not CHROMEDRIVER.exists():
        return f"no driver: {CHROMEDRIVER} is missing (Debian package chromium-driver)"
    if shutil.which("dot") is None:
        return "Graphviz `dot` is missing, so the report has no SVG diagram to click"
    if importlib.util.find_spec("selenium") is None:
        return "the selenium package is not installed"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(tmp_path) -> Path:
    outcome, programs = check([HUBINGER])
    assert outcome.ok
    target = tmp_path / "report.html"
    target.write_text(render_page(outcome, [HUBINGER]), encoding="utf-8")
    return target


# Where to click on a refuted arrow: the centre of its arrowhead (a filled triangle), in viewport pixels.
_ARROWHEAD_CENTRE = """
const group = document.getElementById(arguments[0]);
const head = group.querySelector('polygon');
head.scrollIntoView({block: 'center'});
const points = head.points, m = head.getScreenCTM();
let x = 0, y = 0;
for (let i = 0; i < points.numberOfItems; i++) { x += points.getItem(i).x; y += points.getItem(i).y; }
const n = points.numberOfItems, p = new DOMPoint(x / n, y / n).matrixTransform(m);
const hit = document.elementFromPoint(p.x, p.y), link = hit && hit.closest('a');
return [p.x, p.y, link && (link.getAttribute('href') || link.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))];
"""


def test_diagram_is_visible_and_a_refuted_arrow_leads_to_its_counterexample(browser, page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    diagram = browser.find_element(By.CSS_SELECTOR, "figure.diagram svg")
    assert diagram.is_displayed()
    assert diagram.size["width"] > 200 and diagram.size["height"] > 150
    target = browser.find_element(By.ID, f"cex-{REFUTED}")
    assert not _in_view(browser, target)

    # The dashed arrow's head, as the mouse finds it: its link is what is under the pointer.
    group = browser.execute_script(
        "return [...document.querySelectorAll('figure.diagram g.edge.refuted')]"
        ".find(g => g.querySelector('polygon') && g.querySelector('a')"
        f".getAttributeNS('http://www.w3.org/1999/xlink', 'href') === '#cex-{REFUTED}').id")
    x, y, under = browser.execute_script(_ARROWHEAD_CENTRE, group)
    assert under == f"#cex-{REFUTED}"
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(int(round(x)), int(round(y))).click()
    actions.perform()
    ActionChains(browser).pause(0.2).perform()

    assert browser.execute_script("return location.hash") == f"#cex-{REFUTED}"
    assert browser.execute_script("return document.querySelector(':target').id") == f"cex-{REFUTED}"
    assert target.is_displayed() and _in_view(browser, target)
    assert "Counterexample to" in target.text and REFUTED in target.text

    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("ALIGNPROOF_SCREENSHOT_DIR"):  # keep it, e.g. for a CI artefact
        shutil.copy(shot, Path(os.environ["ALIGNPROOF_SCREENSHOT_DIR"]) / "report-browser.png")


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= -1 && r.top < window.innerHeight && r.height > 0;", element)
