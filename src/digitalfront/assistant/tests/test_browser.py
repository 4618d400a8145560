"""Commune staff on a phone ask the assistant in a real browser (Debian's Chromium): on the assistant's
page the answer is streamed and ends with its citation linked to the library article; in the widget of
another staff page the same, the conversation kept from page to page; refusals are shown in Vietnamese."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from digitalfront.assistant.models import Conversation, Message, Outcome, Rating
from digitalfront.core.testing import build_world
from digitalfront.library.models import Group
from digitalfront.library.tests.conftest import make_library
from digitalfront.orgs.tests.test_browser import login

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Hồ sơ đăng ký thường trú gồm những gì?"
DIEU_3 = "Điều 3. Hồ sơ đăng ký thường trú – Luật Thử nghiệm về cư trú"
UNANSWERABLE = "Mức phụ cấp hằng tháng của trưởng ban công tác mặt trận là bao nhiêu?"


@contextlib.contextmanager
def _committed(execute: bool = True) -> Iterator[None]:
    """Stands in for ``django_capture_on_commit_callbacks``: in a transactional test the commit hooks (which
    fill the search index) run when the services' transactions commit."""
    yield


def _world_and_library() -> tuple[Any, dict[str, Any]]:
    # the groups come from a data migration, which a previous transactional test may have flushed
    Group.objects.get_or_create(slug="thu-vien-phap-luat", defaults={"name": "Thư viện pháp luật", "position": 20})
    Group.objects.get_or_create(slug="dich-vu-cong", defaults={"name": "Dịch vụ công", "position": 10})
    return build_world(), make_library(_committed)


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_ask_on_the_assistant_page(live_server: Any, browser: Any) -> None:
    world, docs = _world_and_library()
    base = live_server.url
    page = login(browser, base, world.user("here").username)
    page.goto(f"{base}/tro-ly/")
    assert page.locator("#tro-ly-nhanh").count() == 0  # no widget on the assistant's own pages

    page.fill("#id_question", QUESTION)
    page.click("form.as-ask button[type=submit]")
    # the final answer replaces the streamed text: the citation links to the article in the library
    turn = page.locator("#as-thread .as-turn").first
    citation = turn.locator(".as-sources a", has_text=DIEU_3)
    citation.wait_for()
    law = f"/thu-vien/van-ban/{docs['law'].slug}/#dieu-3"
    assert citation.get_attribute("href") == law
    assert "Tờ khai thay đổi thông tin cư trú" in turn.locator(".as-text").inner_text()
    assert turn.locator(".as-text a.as-ref").first.get_attribute("href") == law  # the [1] in the text
    assert turn.locator(".as-question").inner_text().endswith(QUESTION)
    assert page.input_value("#id_question") == ""
    message = Message.objects.get()
    assert message.outcome == Outcome.ANSWERED
    # the address is the conversation's: a reload shows it, a follow-up continues it
    assert page.url == f"{base}/tro-ly/hoi-dap/{message.conversation_id}/"
    assert _fits(page)

    turn.locator("button[data-rating=helpful]").click()
    turn.locator(".as-rate", has_text="Cảm ơn bạn đã đánh giá.").wait_for()
    assert Message.objects.get().rating == Rating.HELPFUL

    page.fill("#id_question", "Thời hạn giải quyết đăng ký thường trú là bao lâu?")
    page.click("form.as-ask button[type=submit]")
    page.locator("#as-thread .as-turn").nth(1).locator(".as-sources a", has_text="Điều 5. Thời hạn giải quyết") \
        .wait_for()
    assert Conversation.objects.count() == 1 and Message.objects.count() == 2

    # an empty question is refused on the spot, in Vietnamese
    page.click("form.as-ask button[type=submit]")
    assert page.locator("form.as-ask .as-error").inner_text() == "Hãy nhập câu hỏi."
    assert Message.objects.count() == 2

    # the citation opens the article
    citation.click()
    page.wait_for_url(f"**{law}")
    assert page.locator("#dieu-3").is_visible()


def test_ask_in_the_widget_of_another_staff_page(live_server: Any, browser: Any, settings: Any) -> None:
    world, docs = _world_and_library()
    base = live_server.url
    page = login(browser, base, world.user("here").username)
    page.goto(f"{base}/thu-vien/")
    widget = page.locator("#tro-ly-nhanh")
    assert widget.locator(".aw-panel").is_hidden()
    widget.locator("summary").click()
    page.fill("#aw-question", QUESTION)
    widget.locator("form button[type=submit]").click()
    citation = widget.locator("#aw-thread .as-sources a", has_text=DIEU_3)
    citation.wait_for()
    assert citation.get_attribute("href") == f"/thu-vien/van-ban/{docs['law'].slug}/#dieu-3"
    assert "Tờ khai thay đổi thông tin cư trú" in widget.locator("#aw-thread .as-text").inner_text()
    assert page.url == f"{base}/thu-vien/"  # the page itself stays
    conversation = Conversation.objects.get()
    full = widget.locator("[data-aw-full]")
    assert full.get_attribute("href") == f"/tro-ly/hoi-dap/{conversation.pk}/"
    assert _fits(page)

    # on the next page the widget continues the same conversation
    page.goto(f"{base}/")
    widget.locator("summary").click()
    page.fill("#aw-question", UNANSWERABLE)
    widget.locator("form button[type=submit]").click()
    turn = widget.locator("#aw-thread .as-turn")
    turn.locator(".as-outcome-abstained", has_text="Chưa tìm thấy căn cứ").wait_for()
    assert turn.locator(".as-subhead", has_text="Các nguồn gần nhất").count() == 1
    assert turn.locator(".as-sources a").count() >= 1
    assert list(Message.objects.values_list("conversation_id", flat=True)) == [conversation.pk, conversation.pk]

    # "Hỏi mới" starts another conversation
    widget.locator("[data-aw-new]").click()
    assert widget.locator("#aw-thread .as-turn").count() == 0
    page.fill("#aw-question", "Thời hạn giải quyết đăng ký thường trú là bao lâu?")
    widget.locator("form button[type=submit]").click()
    widget.locator("#aw-thread .as-sources a", has_text="Điều 5. Thời hạn giải quyết").wait_for()
    assert Conversation.objects.count() == 2

    # a refusal of the server is shown in Vietnamese, and the question stays in the box
    settings.ASSISTANT_QUESTIONS_PER_HOUR = Message.objects.count()
    page.fill("#aw-question", QUESTION)
    widget.locator("form button[type=submit]").click()
    error = widget.locator(".as-error")
    error.wait_for()
    assert error.inner_text().startswith("Bạn đã hỏi quá nhiều trong một giờ.")
    assert page.input_value("#aw-question") == QUESTION
    assert Message.objects.count() == 3
