"""End-to-end in a real browser: headless Chromium (Debian's package, driven by
Playwright) through login, the overview, a comparison, listening, people, an upload and the
French interface. Screenshots go to test-output/e2e/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, UCI_FACEBOOK
from ..liveserver import live_server
from ..webstore import PASSWORD, WebStore

SHOTS = ROOT / "test-output" / "e2e"
CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str:
    for candidate in CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")


@pytest.fixture
def browser_page(fresh_web_store: WebStore) -> Iterator[tuple[Any, str]]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(str(fresh_web_store.path)) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, url
        browser.close()
        assert errors == [], errors


def log_in(page: Any, url: str, email: str) -> None:
    page.goto(url + "/overview")
    assert page.url.startswith(url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/overview**")


def assert_fits_its_card(page: Any, selector: str) -> None:
    """The element is no wider than the card it is in (which would scroll sideways)."""
    table = page.locator(selector).bounding_box()
    card = page.locator("section.card", has=page.locator(selector)).bounding_box()
    assert table and card and table["x"] + table["width"] <= card["x"] + card["width"]


def wait_for_chart(page: Any, spec: str) -> None:
    chart = page.locator(f'[data-spec="{spec}"]')
    chart.and_(page.locator('[data-rendered="true"]')).wait_for(timeout=15000)
    assert chart.locator("svg").count() >= 1


def test_login_overview_compare_listening_and_upload(browser_page, tmp_path):
    page, url = browser_page
    log_in(page, url, "analyst@brands.example")

    # overview: the index, its interval, the trend and the breakdown, drawn
    page.select_option("#org", "Cosmetics brand")
    page.click(".filters button[type=submit]")
    score = float(page.locator('[data-testid="index-score"]').inner_text().split("/")[0])
    assert 0 <= score <= 100
    assert "90% interval" in page.content()  # the level of jauge-index/1.0.0
    wait_for_chart(page, "trend-spec")
    wait_for_chart(page, "breakdown-spec")
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

    # the report to share, downloaded from the overview: the same score, its charts drawn
    with page.expect_download() as download:
        page.click("[data-testid=report]")
    report = Path(download.value.path()).read_text("utf-8")
    assert download.value.suggested_filename.startswith("jauge-report-cosmetics-brand-")
    assert f"{score:.1f}" in report and report.count("<svg") >= 2
    viewer = page.context.new_page()  # opened as the user would, on its own
    viewer.set_content(report)
    assert viewer.locator("h1").inner_text() == "Jauge Index report: Cosmetics brand"
    assert viewer.locator("figure svg").count() == report.count("<svg")
    viewer.screenshot(path=str(SHOTS / "report.png"), full_page=True)
    viewer.close()

    # compare three airlines
    page.click("nav.main >> text=Compare")
    page.select_option("#by", "org")
    page.select_option("#orgs", ["United", "Delta", "Virgin America"])
    page.click(".filters button[type=submit]")
    wait_for_chart(page, "compare-spec")
    rows = page.locator('[data-testid="comparison"] tbody tr')
    assert rows.count() == 3
    names = {rows.nth(i).locator("td").first.inner_text() for i in range(3)}
    assert names == {"United", "Delta", "Virgin America"}
    page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)

    # listening
    page.click("nav.main >> text=Listening")
    page.select_option("#org", "United")
    page.click(".filters button[type=submit]")
    wait_for_chart(page, "sentiment-spec")
    wait_for_chart(page, "voice-spec")
    page.screenshot(path=str(SHOTS / "listening.png"), full_page=True)

    # the people who talk about United, and what earned a person's figures
    page.click("nav.main >> text=People")
    page.select_option("#org", "United")
    page.click(".filters button[type=submit]")
    rows = page.locator("[data-testid=people] tbody tr:not(.why)")
    assert rows.count() > 10
    first_why = page.locator("[data-testid=people] details").first
    first_why.locator("summary").click()
    assert first_why.locator("li").count() >= 1 and first_why.locator("li").first.is_visible()
    page.screenshot(path=str(SHOTS / "people.png"), full_page=True)
    # integrity: an analyst assesses the workspace from the same page
    card = page.locator("[data-testid=integrity]")
    assert "never assessed" in card.inner_text()
    card.locator("button[type=submit]").click()
    page.wait_for_url("**/people?**org=United**")
    assert "Assessed" in page.locator("[data-testid=integrity]").inner_text()
    assert page.locator("[data-testid=people] tbody tr:not(.why)").count() == rows.count()
    first = page.locator("[data-testid=people] td.path a").first
    handle = first.inner_text()
    first.click()
    assert handle in page.locator("h1").first.inner_text()
    assert page.locator("[data-testid=person-weeks] tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "person.png"), full_page=True)

    # value: from reach to sales per platform, and each campaign's return, drawn
    page.click("nav.main >> text=Value")
    page.select_option("#org", "Cosmetics brand")
    page.fill("input[name=conversion_value]", "50")
    page.click(".filters button[type=submit]")
    wait_for_chart(page, "funnel-spec")
    wait_for_chart(page, "returns-spec")
    assert page.locator("[data-testid=campaigns] tbody tr").count() == 3
    assert "facebook" in page.locator("[data-testid=platforms]").inner_text()
    page.screenshot(path=str(SHOTS / "value.png"), full_page=True)

    # upload a real export: first with one broken value (refused, error listed), then whole
    page.click("nav.main >> text=Sources")
    lines = UCI_FACEBOOK.read_text("utf-8").splitlines(keepends=True)
    cells = lines[9].split(";")
    cells[5] = "25"  # Post Hour: there is no 25th hour
    lines[9] = ";".join(cells)
    # named as exports are, long: the history still fits its card at 1280 px
    broken = tmp_path / "facebook_page_post_level_insights_lifetime_values_october_export.csv"
    broken.write_text("".join(lines), "utf-8")
    page.set_input_files("input[type=file]", str(broken))
    page.select_option("select[name=source]", "facebook-insights")
    page.fill("input[name=org]", "Uploaded brand")
    page.fill("input[name=year]", "2014")
    page.click(".upload button[type=submit]")
    result = page.locator('[data-testid="import-result"]')
    assert "Nothing was written" in result.inner_text()
    assert "october_export.csv, line 10, field Post Hour" in result.inner_text()
    assert_fits_its_card(page, "[data-testid=imports]")
    page.screenshot(path=str(SHOTS / "upload-refused.png"), full_page=True)

    page.set_input_files("input[type=file]", str(UCI_FACEBOOK))
    page.select_option("select[name=source]", "facebook-insights")
    page.fill("input[name=org]", "Uploaded brand")
    page.fill("input[name=year]", "2014")
    page.click(".upload button[type=submit]")
    assert "Imported: 500 new" in page.locator('[data-testid="import-result"]').inner_text()
    assert "dataset_Facebook.csv" in page.locator('[data-testid="imports"]').inner_text()
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)

    # the new organisation is on the overview at once
    page.click("nav.main >> text=Overview")
    page.select_option("#org", "Uploaded brand")
    page.click(".filters button[type=submit]")
    assert "Jauge Index of Uploaded brand" in page.content()


def test_the_interface_in_french(browser_page):
    page, url = browser_page
    log_in(page, url, "viewer@brands.example")
    page.click(".langs >> text=FR")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Indice Jauge d'American" in page.locator("h1").first.inner_text()
    wait_for_chart(page, "trend-spec")
    page.click("nav.main >> text=Sources")
    assert "Votre rôle (lecteur)" in page.content()
    # the import history, with its long file paths, stays inside its card
    assert_fits_its_card(page, "[data-testid=imports]")
    page.screenshot(path=str(SHOTS / "sources-fr.png"), full_page=True)


def test_the_workspace_chooser_waits_for_the_keyboard_users_choice(browser_page, fresh_web_store):
    import jauge
    from jauge.users import add_user

    with jauge.open(fresh_web_store.path) as j:  # the viewer also reads the rival's workspace
        add_user(j.store, "viewer@brands.example", PASSWORD, "rival", "viewer")
    page, url = browser_page
    log_in(page, url, "viewer@brands.example")
    shown = page.url
    chooser = page.locator("form.workspace select")
    chooser.focus()
    page.keyboard.press("ArrowDown")  # moves through the list (WCAG 3.2.2): no navigation
    page.wait_for_timeout(500)
    assert page.url == shown and chooser.input_value() == "rival"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the form's button opens the choice
    page.wait_for_url("**/overview?workspace=rival**")
    assert "Le Monde" in page.locator("h1").first.inner_text()
