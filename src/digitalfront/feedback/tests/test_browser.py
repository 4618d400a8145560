"""A citizen on a phone sends feedback in a real browser (Debian's Chromium); a commune's staff accept
and answer it; the citizen reads the answer by the private link and rates it."""

import pytest

from digitalfront.core.testing import build_world
from digitalfront.feedback.models import Case, Status
from digitalfront.orgs.tests.test_browser import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_sends_feedback_and_rates_the_answer(live_server, browser, settings):
    settings.DIGITALFRONT_INTAKE_BATCH = False
    world = build_world()
    base = live_server.url
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    phone.goto(f"{base}/phan-anh/gui/")
    phone.select_option("[name=province]", str(world.p1.pk))
    # the communes of Hà Nội arrive without a reload
    phone.wait_for_selector(f"[name=commune] option[value='{world.c11.pk}']", state="attached")
    phone.select_option("[name=commune]", str(world.c11.pk))
    phone.fill("[name=content]", "Cống thoát nước ở ngõ 15 bị tắc, mỗi khi mưa nước tràn vào nhà dân.")
    phone.fill("[name=name]", "Ngô Thị Lan")
    phone.fill("[name=phone]", "0977111222")
    phone.check("[name=consent_publish]")
    phone.click("form.intake-form button[type=submit]")
    phone.wait_for_url("**/phan-anh/da-gui/**")
    case = Case.objects.get()
    assert case.code in phone.content() and case.unit == world.c11
    # nothing overflows the phone's width
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    link = phone.input_value("#private-link")

    staff = login(browser, base, world.user("here").username)
    staff.goto(f"{base}/xu-ly/")
    staff.click(f"text={case.title}")
    staff.click("form[action$='/accept/'] button")
    staff.wait_for_load_state()
    staff.click("summary:has-text('Trả lời người gửi')")
    staff.fill("#answer-text", "UBND phường đã nạo vét cống ngõ 15 ngày 20/11.")
    staff.click("form[action$='/answer/'] button[type=submit]")
    staff.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED

    phone.goto(link)
    assert "đã nạo vét cống ngõ 15" in phone.content()
    phone.check("[name=satisfaction][value='5']")
    phone.click("form[action$='/danh-gia/'] button[type=submit]")
    phone.wait_for_load_state()
    assert "Cảm ơn bạn đã đánh giá" in phone.content()
    assert Case.objects.get(pk=case.pk).satisfaction == 5
