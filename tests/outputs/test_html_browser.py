"""The HTML report in a real browser: headless Chromium, driven by Selenium.

The page for Hubinger's two diagrams is opened from disk; the tests check
that the main diagram's SVG is laid out and visible, click a refuted (dashed)
arrow with the mouse and land on that arrow's counterexample; and that the
robustness-centric diagram lists its refuted converses under the picture:
the list is shown, a node's "refuted below" leads to its entry, and every
entry leads to its counterexample. Skips, saying why, where Chromium, its
driver, Selenium or a layout engine (Graphviz or graphviz-pure) is not
installed (`.ci/run` installs them).

With ALIGNPROOF_SCREENSHOT_DIR set, the screenshots of the two diagrams are
kept there as `report.png` and `report-robustness.png`: the README's pictures
are made by `ALIGNPROOF_SCREENSHOT_DIR=docs python -m pytest tests/outputs/test_html_browser.py`.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from translator.outputs.graphviz import find_engine
from translator.outputs.html import render_page
from translator.pipeline import Options, run

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
HUBINGER, ROBUSTNESS = "spec/hubinger.align", "spec/robustness.align"  # as the README shows them
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
    if find_engine() is None:
        return "neither Graphviz `dot` nor graphviz-pure is installed, so the report has no SVG diagram to click"
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


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths relative to the checkout, as a user at its root would write them
    try:
        outcome, programs = check([HUBINGER, ROBUSTNESS])
        page = render_page(outcome, [HUBINGER, ROBUSTNESS])
    finally:
        os.chdir(cwd)
    assert outcome.ok
    target = tmp_path_factory.mktemp("report") / "report.html"
    target.write_text(page, encoding="utf-8")
    return target


def _keep(browser, tmp_path, name: str, section: str) -> None:
    """A screenshot of one file's part of the page, from its heading; kept where asked."""
    browser.set_window_size(1100, 1250)
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView()", section)
    shot = tmp_path / name
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("ALIGNPROOF_SCREENSHOT_DIR"):  # the README's pictures, or a CI artefact
        shutil.copy(shot, Path(os.environ["ALIGNPROOF_SCREENSHOT_DIR"]) / name)


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

    browser.get(page.as_uri())
    _keep(browser, tmp_path, "report.png", "file-spec-hubinger-align")


_FOLDED = "div.diagram-box ~ details.folded"


def test_refuted_converses_are_listed_and_each_leads_to_its_counterexample(browser, page, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    section = browser.find_element(By.ID, "file-spec-robustness-align")
    folded = section.find_element(By.CSS_SELECTOR, _FOLDED)
    assert folded.get_attribute("open") is not None and folded.is_displayed()
    entries = folded.find_elements(By.CSS_SELECTOR, "ul.folded > li")
    links = folded.find_elements(By.CSS_SELECTOR, "ul.folded > li li a")
    assert len(entries) == 4 and len(links) == 13
    assert all(link.is_displayed() for link in links)
    # The picture draws none of them: no red dashed arrow links to a listed counterexample.
    listed = {link.get_attribute("href").split("#")[1] for link in links}
    drawn = set(browser.execute_script(
        "return [...arguments[0].querySelectorAll('figure.diagram a')]"
        ".map(a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')).filter(h => h)", section))
    assert listed and not {f"#{t}" for t in listed} & drawn

    # impact_aligned's box says "6 refuted below"; clicking it lands on its entry of the list.
    box = browser.execute_script(
        "return [...arguments[0].querySelectorAll('figure.diagram g.node')]"
        ".find(g => g.textContent.includes('impact_aligned')).querySelector('a')", section)
    assert "6 refuted below" in box.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    anchor = browser.execute_script("return location.hash")[1:]
    entry = browser.find_element(By.ID, anchor)
    assert entry.text.startswith("impact_aligned does not imply") and _in_view(browser, entry)
    assert len(entry.find_elements(By.CSS_SELECTOR, "li a")) == 6

    # Every listed converse leads to its counterexample, re-checked and explained on the page.
    for target in sorted(listed):
        section_of = browser.find_element(By.ID, target)
        assert target.startswith("cex-") and "Counterexample to" in section_of.get_attribute("textContent")
    link = links[0]
    target = link.get_attribute("href").split("#")[1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert _in_view(browser, browser.find_element(By.ID, target))

    browser.get(page.as_uri())
    _keep(browser, tmp_path, "report-robustness.png", "file-spec-robustness-align")


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= -1 && r.top < window.innerHeight && r.height > 0;", element)
