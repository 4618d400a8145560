"""The pages people click through, in a real browser (Debian's Chromium driven by Playwright).

A commune's data entry staff find their village by typing without diacritics, enter a report with a
mistake, correct it and submit; an approver of the province sees it in the queue and approves it.
"""

import pyotp
import pytest
from django.utils import timezone

from digitalfront.accounts.models import TOTPDevice
from digitalfront.core.testing import PASSWORD, build_world
from digitalfront.orgs.models import Report, ReportStatus

pytestmark = pytest.mark.django_db(transaction=True)


def login(browser, base, username, totp_secret=None):
    """Sign in through the pages; with ``totp_secret``, also the second step (approvers must use it)."""
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    if totp_secret:
        page.wait_for_url(f"{base}/tai-khoan/xac-thuc-hai-buoc/")
        page.fill("#id_code", pyotp.TOTP(totp_secret).now())
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

    # approvers must sign in with two-factor: an authenticator app already set up
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.user("above"), secret=secret, confirmed_at=timezone.now())
    approver = login(browser, base, world.user("above").username, totp_secret=secret)
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
