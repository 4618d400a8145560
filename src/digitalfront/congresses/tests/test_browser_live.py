"""Two staff pages of the congress dashboard open in Chromium: a result saved through the service shows on
both without a reload (Server-Sent Events over the live-event broker)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from digitalfront.congresses.models import Congress, Status, Term
from digitalfront.congresses.services import congresses
from digitalfront.core.testing import build_world
from digitalfront.orgs.tests.test_browser import login

pytestmark = pytest.mark.django_db(transaction=True)


def _open(browser: Any, base: str, username: str, path: str) -> Any:
    page = login(browser, base, username)
    page.goto(f"{base}{path}")
    page.locator("body[data-live=open]").wait_for()  # the EventSource is connected
    return page


def test_two_pages_show_a_saved_result_without_reload(live_server: Any, browser: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    settings.LIVE_BACKEND = "database"
    settings.CONGRESSES_HEARTBEAT_SECONDS = 1  # the server notices a closed page quickly
    settings.CONGRESSES_STREAM_SECONDS = 60
    world = build_world()
    term = Term.objects.create(name="2024–2029", starts_on=datetime.date(2024, 1, 1),
                               ends_on=datetime.date(2029, 12, 31))
    c11 = Congress.objects.create(term=term, unit=world.c11, level="commune", status=Status.PREPARING,
                                  held_on=datetime.date(2025, 10, 5), delegates_attending=110, committee_size=35,
                                  chair="Nguyễn Thị Hoa")
    base = live_server.url
    here = world.user("here")
    first = _open(browser, base, here.username, "/dai-hoi/")
    second = _open(browser, base, here.username, "/dai-hoi/")
    for page in (first, second):
        expect(page.locator('[data-count="commune:held"]')).to_have_text("0")
        expect(page.locator('.dh-tile[data-province="01"] .dh-tile-held')).to_have_text("0")

    congresses.set_status(actor=here, congress_id=c11.pk, status=Status.HELD)

    for page in (first, second):
        expect(page.locator('[data-count="commune:held"]')).to_have_text("1")
        expect(page.locator('[data-count="commune:preparing"]')).to_have_text("0")
        expect(page.locator('[data-count="total:held"]')).to_have_text("1")
        tile = page.locator('.dh-tile[data-province="01"]')
        expect(tile.locator(".dh-tile-held")).to_have_text("1")
        expect(tile.locator(".dh-tile-share")).to_have_text("50,0%")
        expect(tile).to_have_class("dh-tile dh-p3 dh-flash")
        expect(page.locator('.dh-tile[data-province="15"] .dh-tile-held')).to_have_text("0")
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload

    # the drill-down of Hà Nội follows too
    second.goto(f"{base}/dai-hoi/tinh/01/")
    second.locator("body[data-live=open]").wait_for()
    row = second.locator("#dh-row-00004")
    expect(row.locator(".dh-status")).to_have_text("Đã tổ chức")
    congresses.set_status(actor=here, congress_id=c11.pk, status=Status.REPORTED)
    expect(row.locator(".dh-status")).to_have_text("Đã báo cáo kết quả")
    expect(row).to_have_attribute("data-status", "reported")
    expect(second.locator('[data-count="commune:reported"]')).to_have_text("1")
    expect(first.locator('[data-count="commune:reported"]')).to_have_text("1")
    expect(first.locator('[data-count="commune:held"]')).to_have_text("0")
    for page in (first, second):
        page.context.close()
    # the server notices the closed pages at its next heartbeat; wait for that before the database goes
    _wait_for_streams_to_end()


def _wait_for_streams_to_end(limit_s: float = 20.0) -> None:
    import time

    from digitalfront.congresses.views_dashboard import open_streams

    deadline = time.monotonic() + limit_s
    while open_streams.value and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_streams.value == 0, "the live server still streams to a closed page"
