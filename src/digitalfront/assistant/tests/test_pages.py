"""The assistant's pages without JavaScript: who may open them (the whole matrix), asking and reading
the answer with its citations linked to the library, refused questions, rating, and the widget on the
other staff pages. Knowledge and the review queue are in ``test_pages_knowledge``."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from digitalfront.assistant.models import Conversation, Message, Outcome, Rating

pytestmark = pytest.mark.django_db

CHAT = "/tro-ly/"
ASK = "/tro-ly/hoi/"
KNOWLEDGE = "/tro-ly/kien-thuc/"
KNOWLEDGE_NEW = "/tro-ly/kien-thuc/them/"
QUEUE = "/tro-ly/hang-doi/"

QUESTION = "Hồ sơ đăng ký thường trú gồm những gì?"
UNANSWERABLE = "Mức phụ cấp hằng tháng của trưởng ban công tác mặt trận là bao nhiêu?"
DIEU_3 = "Điều 3. Hồ sơ đăng ký thường trú – Luật Thử nghiệm về cư trú"
_LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')

# the status of each page for each row of the matrix (302: to the sign-in page)
STAFF = {"anonymous": 302, "citizen": 403, "elsewhere": 200, "here": 200, "above": 200, "admin": 200}
PAGES = {
    CHAT: STAFF,
    KNOWLEDGE: STAFF,
    # adding knowledge: data entry and unit administrators (``above`` only views and approves)
    KNOWLEDGE_NEW: {**STAFF, "above": 403},
    # the review queue: unit administrators and superusers
    QUEUE: {**STAFF, "elsewhere": 403, "here": 403, "above": 403},
}


def body(response: Any) -> str:
    return html.unescape(response.content.decode())


def links(response: Any) -> list[tuple[str, str]]:
    found = _LINK.findall(response.content.decode())
    return [(html.unescape(href), html.unescape(text).strip()) for href, text in found]


def ask(client: Client, question: str, conversation: int | None = None) -> Any:
    data = {"question": question}
    if conversation is not None:
        data["conversation_id"] = str(conversation)
    return client.post(ASK, data)


@pytest.mark.parametrize("url", list(PAGES))
def test_who_may_open_each_page(client_for: Any, who: str, url: str) -> None:
    response = client_for(who).get(url)
    assert response.status_code == PAGES[url][who], (who, url)
    if who == "anonymous":
        assert response["Location"].startswith("/dang-nhap/?next=")
    elif who == "citizen":
        assert "Trợ lý ảo dành cho cán bộ Mặt trận" in body(response)
    elif response.status_code == 403:
        assert "Chỉ quản trị đơn vị" in body(response) or "Bạn chỉ được xem kiến thức" in body(response)


def test_asking_is_refused_to_anonymous_and_citizens(client_for: Any, library: Any) -> None:
    assert ask(client_for("anonymous"), QUESTION)["Location"].startswith("/dang-nhap/")
    assert ask(client_for("citizen"), QUESTION).status_code == 403
    assert not Message.objects.exists()


def test_ask_without_javascript_shows_the_answer_with_its_citations(client_for: Any, library: Any) -> None:
    client = client_for("here")
    response = ask(client, QUESTION)
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tro-ly/hoi-dap/{message.conversation_id}/#tin-{message.pk}"
    assert message.outcome == Outcome.ANSWERED and message.conversation.user.username == "canbo.badinh"

    page = client.get(response["Location"])
    assert page.status_code == 200
    law = f"/thu-vien/van-ban/{library['law'].slug}/#dieu-3"
    # the citation, with its words, links to the article in the library
    assert (law, DIEU_3) in links(page)
    text = body(page)
    assert "Tờ khai thay đổi thông tin cư trú" in text  # the quoted clause
    assert f'<a class="as-ref" href="{law}" title="{DIEU_3}">[1]</a>' in text  # the marker in the answer
    assert QUESTION in text and "Nguồn trích dẫn" in text

    # a follow-up question stays in the conversation
    again = ask(client, "Thời hạn giải quyết đăng ký thường trú là bao lâu?", message.conversation_id)
    assert again.status_code == 302
    assert Conversation.objects.count() == 1 and message.conversation.messages.count() == 2
    page = client.get(f"/tro-ly/hoi-dap/{message.conversation_id}/")
    dieu_5 = "Điều 5. Thời hạn giải quyết – Luật Thử nghiệm về cư trú"
    assert (f"/thu-vien/van-ban/{library['law'].slug}/#dieu-5", dieu_5) in links(page)

    # the chat page lists the conversation
    listing = body(client.get(CHAT))
    assert f'href="/tro-ly/hoi-dap/{message.conversation_id}/"' in listing and "2 câu hỏi" in listing


def test_an_unanswerable_question_shows_the_closest_sources(client_for: Any, library: Any) -> None:
    client = client_for("here")
    page = client.get(ask(client, UNANSWERABLE)["Location"])
    text = body(page)
    assert Message.objects.get().outcome == Outcome.ABSTAINED
    assert "Chưa tìm thấy căn cứ" in text and "Các nguồn gần nhất" in text
    assert "Nguồn trích dẫn" not in text
    assert any(href.startswith(f"/thu-vien/van-ban/{library['law'].slug}/#dieu-") for href, _ in links(page))


@pytest.mark.parametrize(("question", "status", "error"), [
    ("", 400, "Hãy nhập câu hỏi."),
    ("   \n ", 400, "Hãy nhập câu hỏi."),
    ("Hỏi " + "đăng ký thường trú " * 60, 413, "Câu hỏi quá dài (tối đa 1.000 ký tự)."),
    ("x" * 1001, 413, "Câu hỏi quá dài (tối đa 1.000 ký tự)."),
])
def test_a_refused_question_keeps_the_form_and_records_nothing(
        client_for: Any, library: Any, question: str, status: int, error: str) -> None:
    response = ask(client_for("here"), question)
    assert response.status_code == status
    text = body(response)
    assert error in text
    if question.strip():
        assert question.strip()[:200] in text  # what was typed is still in the box
    assert not Message.objects.exists() and not Conversation.objects.exists()


def test_a_refused_follow_up_stays_on_the_conversation(client_for: Any, library: Any) -> None:
    client = client_for("here")
    ask(client, QUESTION)
    conversation = Conversation.objects.get()
    response = ask(client, "", conversation.pk)
    assert response.status_code == 400
    assert "Hãy nhập câu hỏi." in body(response) and DIEU_3 in body(response)  # the conversation is shown
    assert conversation.messages.count() == 1


def test_too_many_questions_in_an_hour(client_for: Any, library: Any, settings: Any) -> None:
    settings.ASSISTANT_QUESTIONS_PER_HOUR = 1
    client = client_for("here")
    assert ask(client, QUESTION).status_code == 302
    response = ask(client, QUESTION)
    assert response.status_code == 429
    assert "Bạn đã hỏi quá nhiều trong một giờ" in body(response) and int(response["Retry-After"]) > 0
    assert Message.objects.count() == 1


def test_a_conversation_is_its_owners_only(client_for: Any, library: Any) -> None:
    ask(client_for("here"), QUESTION)
    conversation = Conversation.objects.get()
    url = f"/tro-ly/hoi-dap/{conversation.pk}/"
    assert client_for("here").get(url).status_code == 200
    for who in ("elsewhere", "above", "admin"):
        response = client_for(who).get(url)
        assert response.status_code == 404, who
        assert QUESTION not in body(response)
        # nor can they ask in it
        assert ask(client_for(who), "Thời hạn giải quyết?", conversation.pk).status_code == 404
    assert client_for("citizen").get(url).status_code == 403
    assert conversation.messages.count() == 1
    assert client_for("here").get("/tro-ly/hoi-dap/999999/").status_code == 404


def test_rating_an_answer(client_for: Any, library: Any) -> None:
    client = client_for("here")
    ask(client, QUESTION)
    message = Message.objects.get()
    url = f"/tro-ly/danh-gia/{message.pk}/"
    response = client.post(url, {"rating": "unhelpful", "comment": "Thiếu lệ phí"})
    assert response["Location"] == f"/tro-ly/hoi-dap/{message.conversation_id}/#tin-{message.pk}"
    message.refresh_from_db()
    assert (message.rating, message.rating_comment) == (Rating.UNHELPFUL, "Thiếu lệ phí")
    page = body(client.get(response["Location"]))
    assert "Cảm ơn bạn đã đánh giá câu trả lời." in page
    assert "Bạn đã đánh giá: <strong>Chưa hữu ích</strong>" in page

    # a rating that is neither: the Vietnamese message, the rating unchanged
    page = body(client.post(url, {"rating": "tuyet-voi"}, follow=True))
    assert "Đánh giá phải là “hữu ích” hoặc “chưa hữu ích”." in page
    message.refresh_from_db()
    assert message.rating == Rating.UNHELPFUL

    # another user's answer is not theirs to rate
    assert client_for("elsewhere").post(url, {"rating": "helpful"}).status_code == 404
    message.refresh_from_db()
    assert message.rating == Rating.UNHELPFUL


@pytest.mark.parametrize("url", ["/thu-vien/", "/"])
def test_the_widget_is_on_staff_pages_only(client_for: Any, who: str, url: str) -> None:
    response = client_for(who).get(url, follow=True)
    text = response.content.decode()
    staff = STAFF[who] == 200
    assert ('id="tro-ly-nhanh"' in text) == staff, who
    assert ('href="/tro-ly/"' in text) == staff, who  # the top navigation's link
    assert ("assistant/chat.js" in text) == ("assistant/answer.js" in text) == staff, who
    if staff:
        assert 'data-stream="/api/v1/assistant/ask/stream"' in text


def test_the_assistant_pages_do_not_repeat_the_widget(client_for: Any) -> None:
    text = client_for("here").get(CHAT).content.decode()
    assert 'id="tro-ly-nhanh"' not in text
    assert '<a href="/tro-ly/" aria-current="page">Trợ lý</a>' in text
    assert 'data-history' in text  # the full page's form moves the address to the conversation
