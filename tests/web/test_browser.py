"""The office's day in a real browser: Debian's chromium, headless, against the live test server.

Signs in as `office`, opens a red lead, takes it through on-site inspection (with a photo) to
rectification, and finds it on the dashboard. A screenshot of each page goes to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("需要 Debian 的 chromium 与 chromium-driver：make system-deps（以 root 运行）")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="fundwatch-chromium-") as profile:
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-CN",
                     "--window-size=1366,900", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.implicitly_wait(5)
        try:
            yield driver
        finally:
            driver.quit()


def shot(driver: Any, name: str, height: int = 900) -> None:
    """Save the page, tall enough to show it whole."""
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1366, max(height, min(full, 3000)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1366, 900)


def submit_transition(driver: Any, to_state: str, reason: str, **extra: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    before = driver.find_element(By.ID, "lead-status")
    Select(driver.find_element(By.ID, "id_to_state")).select_by_value(to_state)
    driver.find_element(By.ID, "id_reason").send_keys(reason)
    if "photo" in extra:
        driver.find_element(By.ID, "id_photo").send_keys(extra["photo"])
    if "rect_unit" in extra:
        Select(driver.find_element(By.ID, "id_rect_unit")).select_by_visible_text(extra["rect_unit"])
        driver.find_element(By.ID, "id_rect_measures").send_keys(extra["rect_measures"])
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "id_rect_deadline"),
                              extra["rect_deadline"])
    driver.find_element(By.ID, "transition-submit").click()
    # the next page replaces this one: wait for it, or the old page's elements would be read
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(before))


def click_through(driver: Any, element: Any) -> None:
    """Click a link or button that loads another page, and wait until that page has replaced this one
    (a click returns before the browser has navigated: the old page would otherwise be read)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(page))


def test_office_takes_a_red_lead_to_rectification(transactional_db: Any, live_server: Any, world: Any,
                                                  personas: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from fundwatch.web.models import Lead

    from .conftest import png_upload

    photo = tmp_path / "现场核查.png"
    photo.write_bytes(png_upload(colour="#8a5a44").read())
    # given the office signs in
    browser.get(f"{live_server.url}/login/")
    shot(browser, "01-login")
    browser.find_element(By.ID, "id_username").send_keys("office")
    browser.find_element(By.ID, "id_password").send_keys("pw-Fundwatch-1")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "风险线索统计" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "#chart-region canvas")  # ECharts drew from the local asset
    shot(browser, "02-dashboard")
    # when it opens the red lead from the ledger
    browser.get(f"{live_server.url}/leads/?open=1&grade=red")
    shot(browser, "03-ledger")
    click_through(browser, browser.find_element(By.LINK_TEXT, world.lead.subject_name))
    assert "须立即向上级报告" in browser.page_source
    shot(browser, "04-lead-found")
    # and takes it through triage and on-site inspection with a photo, to rectification
    submit_transition(browser, "triage", "名称含“投资咨询”，承诺高额回报，列入研判")
    submit_transition(browser, "inspection", "联合工作组现场核查：门店营业，张贴高息理财海报", photo=str(photo))
    assert "现场核查照片" in browser.page_source
    shot(browser, "05-lead-inspected")
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    submit_transition(browser, "rectifying", "约谈法定代表人，下达责令整改通知书", rect_unit="县金融办",
                      rect_measures="立即停止宣传和吸收资金，制定清退方案", rect_deadline=deadline)
    assert browser.find_element(By.ID, "lead-status").text == "责令整改"
    shot(browser, "06-lead-rectifying")
    lead = Lead.objects.get(pk=world.lead.pk)
    assert lead.status == "rectifying" and lead.attachments.filter(kind="inspection").count() == 1
    assert [t.to_state for t in lead.transitions.all()] == ["triage", "inspection", "rectifying"]
    # then the dashboard shows it: one lead in rectification, and on the upward-report list
    browser.get(f"{live_server.url}/dashboard/")
    browser.find_element(By.LINK_TEXT, f"{lead.code} {lead.subject_name}")
    shot(browser, "07-dashboard-after")
    browser.get(f"{live_server.url}/leads/?status=rectifying")
    assert lead.subject_name in browser.page_source
