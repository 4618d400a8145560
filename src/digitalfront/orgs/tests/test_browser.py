"""The pages people click through, in a real browser (Debian's Chromium driven by Playwright).

A commune's data entry staff find their village by typing without diacritics, enter a report with a
mistake, correct it and submit; an approver of the province sees it in the queue and approves it.
"""

import os
import shutil

import pytest
from django.db import connections

from digitalfront.core.testing import PASSWORD, build_world
from digitalfront.orgs.models import Report, ReportStatus

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]

if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("Chromium is required for the browser tests in CI (scripts/test.sh installs it)")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/test.sh installs it as root)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        # Queries made while Playwright's loop runs hold their own connection (Django keeps connections
        # per context); close it, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def login(browser, base, username):
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_enter_submit_and_approve_in_a_browser(live_server, browser):
    world = build_world()
    base = live_server.url
    staff = login(browser, base, world.user("here").username)
    assert "Phường Ba Đình" in staff.content()

    staff.goto(f"{base}/don-vi/?q=to+dan+pho+1")
    staff.click("text=Tổ dân phố 1")
    assert staff.locator("h1").inner_text() == "Tổ dân phố 1"

    staff.goto(f"{base}/don-vi/{world.v111.pk}/bao-cao/{world.period.pk}/phu-nu/")
    staff.fill("[name=members]", "80")
    staff.fill("[name=staff_executive_committee]", "95")  # more than the members: refused
    staff.click("button[value=submit]")
    assert "không được lớn hơn số hội viên" in staff.content()
    assert not Report.objects.exists()

    staff.fill("[name=staff_executive_committee]", "7")
    staff.fill("[name=activities]", "Tập huấn chuyển đổi số cho hội viên.")
    staff.click("button[value=submit]")
    staff.wait_for_load_state()
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.members == 80

    approver = login(browser, base, world.user("above").username)
    approver.goto(f"{base}/duyet/")
    assert "Tổ dân phố 1" in approver.content()
    approver.click("form[action$='/approve/'] button")
    approver.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == world.user("above")

    # the province's figures now include the village
    approver.goto(f"{base}/don-vi/{world.p1.pk}/?ky={world.period.pk}")
    assert "80" in approver.locator("table").first.inner_text()
