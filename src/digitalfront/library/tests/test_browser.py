"""Someone on a phone searches the library in a real browser (Debian's Chromium): suggestions appear as
they type and are chosen with the keyboard, the results come back highlighted, and a citation opens the
article on its document's page. The same search works with JavaScript turned off."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from digitalfront.library.models import Group

from .conftest import make_library

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


@contextlib.contextmanager
def _committed(execute: bool = True) -> Iterator[None]:
    """Stands in for ``django_capture_on_commit_callbacks``: in a transactional test the services' commit
    hooks (which fill the search index) already run when their transaction commits."""
    yield


def _library(backend: str) -> dict[str, Any]:
    # the groups come from a data migration, which a previous transactional test may have flushed
    Group.objects.get_or_create(slug="thu-vien-phap-luat", defaults={"name": "Thư viện pháp luật", "position": 20})
    Group.objects.get_or_create(slug="dich-vu-cong", defaults={"name": "Dịch vụ công", "position": 10})
    return make_library(_committed)


def test_search_with_suggestions_on_a_phone(live_server: Any, browser: Any, backend: str) -> None:
    docs = _library(backend)
    base = live_server.url
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base}/thu-vien/")
    box = phone.locator("#library-q")
    box.press_sequentially("so ho", delay=40)
    # the suggestions appear under the box, as a listbox the keyboard can walk
    phone.wait_for_selector("#library-q-goi-y [role=option]:has-text('Điều 1. Sổ hộ khẩu')")
    assert box.get_attribute("aria-expanded") == "true"
    options = phone.locator("#library-q-goi-y [role=option]")
    texts = options.all_inner_texts()
    wanted = texts.index("Điều 1. Sổ hộ khẩu")
    for _ in range(wanted + 1):
        box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"library-q-goi-y-{wanted}"
    assert options.nth(wanted).get_attribute("aria-selected") == "true"
    box.press("Enter")
    phone.wait_for_url("**/thu-vien/tim-kiem/?q=*")
    assert phone.input_value("#library-q") == "Điều 1. Sổ hộ khẩu"
    first = phone.locator(".lib-hit").first
    assert "Điều 1. Sổ hộ khẩu – Nghị định Thử nghiệm về sổ hộ khẩu" in first.inner_text()
    assert first.locator(".lib-snippet mark").count() >= 3  # "Sổ", "hộ", "khẩu" highlighted
    assert first.locator(".lib-status-repealed").inner_text() == "Hết hiệu lực"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # the citation opens the article on the document's page
    first.locator(".lib-hit-title a").click()
    phone.wait_for_url(f"**/thu-vien/van-ban/{docs['old'].slug}/#dieu-1")
    assert phone.locator("#dieu-1").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Escape closes the list without clearing what was typed
    phone.goto(f"{base}/thu-vien/tim-kiem/")
    box = phone.locator("#library-q")
    box.press_sequentially("ho so", delay=40)
    phone.wait_for_selector("#library-q-goi-y [role=option]")
    box.press("Escape")
    assert phone.locator("#library-q-goi-y").is_hidden() and box.input_value() == "ho so"


def test_the_search_works_without_javascript(live_server: Any, browser: Any, backend: str) -> None:
    _library(backend)
    page = browser.new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(f"{live_server.url}/thu-vien/")
    page.fill("#library-q", "uy ban nhan dan")
    page.press("#library-q", "Enter")
    page.wait_for_url("**/thu-vien/tim-kiem/?q=uy+ban+nhan+dan")
    assert page.locator("#library-q-goi-y").count() == 0  # no script, no listbox
    assert "Điều 4. Trách nhiệm của Ủy ban nhân dân cấp xã" in page.locator(".lib-hits").inner_text()
    assert page.locator(".lib-snippet mark").count() > 0
