"""The proof-of-work challenge: signed, expiring, single use, and the same rule in Python and JavaScript."""

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core.cache import caches
from django.template.loader import render_to_string

from digitalfront.core import challenge
from digitalfront.core.challenge import issue, leading_zero_bits, meets, solve, verify

T0 = dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.UTC)
SCRIPT = Path(challenge.__file__).parent / "static" / "core" / "challenge.js"
NODE = shutil.which("node")


@pytest.fixture(autouse=True)
def cache(settings, request):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.name}
    }
    caches["default"].clear()
    return caches["default"]


def wrong_nonce(answer: dict) -> int:
    nonce = answer["nonce"] + 1
    while meets(answer["salt"], nonce, answer["difficulty"]):
        nonce += 1
    return nonce


def test_issue_signs_the_fields():
    ch = issue(difficulty_bits=8)
    assert set(ch) == {"algorithm", "salt", "difficulty", "expires", "signature"}
    assert ch["algorithm"] == "SHA-256" and ch["difficulty"] == 8
    assert re.fullmatch(r"[0-9a-f]{32}", ch["salt"])
    assert re.fullmatch(r"[0-9a-f]{64}", ch["signature"])
    assert issue(difficulty_bits=8)["salt"] != ch["salt"]
    json.dumps(ch)  # ready for an API answer


def test_roundtrip_as_dict_and_as_json_string():
    assert verify(solve(issue(difficulty_bits=8)))
    assert verify(json.dumps(solve(issue(difficulty_bits=8))))


def test_nonce_may_come_as_a_decimal_string():
    answer = solve(issue(difficulty_bits=6))
    assert verify({**answer, "nonce": str(answer["nonce"])})


def test_wrong_nonce_fails_and_does_not_use_the_challenge_up():
    answer = solve(issue(difficulty_bits=8))
    assert not verify({**answer, "nonce": wrong_nonce(answer)})
    assert verify(answer)


def test_replay_fails():
    answer = solve(issue(difficulty_bits=6))
    assert verify(answer)
    assert not verify(answer)
    assert not verify(json.dumps(answer))


@pytest.mark.parametrize(
    "change",
    [
        {"difficulty": 0},
        {"difficulty": 1},
        {"salt": "0" * 32},
        {"expires": 4_102_444_800},
        {"algorithm": "SHA-1"},
        {"signature": "0" * 64},
    ],
)
def test_tampered_fields_fail(change):
    answer = solve(issue(difficulty_bits=10))
    tampered = {**answer, **change}
    if "difficulty" in change or "salt" in change:
        tampered = solve({**tampered})  # a real solution of the easier or chosen puzzle: the signature fails
    assert not verify(tampered)
    assert verify(answer)  # the genuine one still passes


def test_signature_depends_on_the_secret_key(settings):
    answer = solve(issue(difficulty_bits=6))
    settings.SECRET_KEY = "another-secret-for-this-test"
    assert not verify(answer)


def test_expired_answers_fail():
    with time_machine.travel(T0, tick=False):
        early = solve(issue(difficulty_bits=6))
        late = solve(issue(difficulty_bits=6))
        assert early["expires"] == int(T0.timestamp()) + 600
    with time_machine.travel(T0 + dt.timedelta(seconds=600), tick=False):
        assert verify(early)  # the last second still counts
    with time_machine.travel(T0 + dt.timedelta(seconds=601), tick=False):
        assert not verify(late)
    assert not verify(solve(issue(difficulty_bits=4)), now=4_102_444_800)


def test_ttl_and_default_bits_come_from_settings(settings):
    settings.DIGITALFRONT_CHALLENGE_BITS = 5
    settings.DIGITALFRONT_CHALLENGE_TTL = 30
    with time_machine.travel(T0, tick=False):
        ch = issue()
    assert ch["difficulty"] == 5
    assert ch["expires"] == int(T0.timestamp()) + 30


def test_default_difficulty_is_18_bits(settings):
    del settings.DIGITALFRONT_CHALLENGE_BITS
    assert issue()["difficulty"] == 18


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "",
        "{",
        "not json",
        "[]",
        "42",
        "null",
        '"text"',
        json.dumps({"nonce": 1}),
        "x" * 5000,
        17,
        [],
    ],
)
def test_malformed_payloads_fail(payload):
    assert verify(payload) is False


@pytest.mark.parametrize("field", ["algorithm", "salt", "difficulty", "expires", "signature", "nonce"])
def test_each_missing_field_fails(field):
    answer = solve(issue(difficulty_bits=6))
    incomplete = {k: v for k, v in answer.items() if k != field}
    assert not verify(incomplete)
    assert not verify(json.dumps(incomplete))
    assert verify(answer)


@pytest.mark.parametrize(
    "bad",
    [
        {"nonce": -1},
        {"nonce": 1.0},
        {"nonce": True},
        {"nonce": "007"},
        {"nonce": "1e3"},
        {"nonce": 2**60},
        {"nonce": None},
        {"difficulty": True},
        {"difficulty": "8"},
        {"expires": "9999999999"},
        {"salt": 5},
    ],
)
def test_wrongly_typed_fields_fail(bad):
    answer = solve(issue(difficulty_bits=1))
    assert not verify({**answer, **bad})


def test_leading_zero_bits():
    assert leading_zero_bits(bytes(32)) == 256
    assert leading_zero_bits(b"\x80" + bytes(31)) == 0
    assert leading_zero_bits(b"\x00\x01" + bytes(30)) == 15
    assert leading_zero_bits(b"\x00\x00\x10" + bytes(29)) == 19


def test_the_rule_is_on_sha256_of_salt_and_decimal_nonce():
    salt = "00112233445566778899aabbccddeeff"
    for nonce in range(200):
        digest = hashlib.sha256(f"{salt}{nonce}".encode()).digest()
        bits = leading_zero_bits(digest)
        assert meets(salt, nonce, bits)
        assert not meets(salt, nonce, bits + 1)


def test_cost_grows_with_difficulty():
    """Each extra bit halves the share of nonces that pass: the expected work doubles. Counted over the
    first 2**14 nonces (no timing involved)."""
    salt = "0123456789abcdef0123456789abcdef"
    zero_bits = [leading_zero_bits(hashlib.sha256(f"{salt}{n}".encode()).digest()) for n in range(2**14)]
    passing = {bits: sum(z >= bits for z in zero_bits) for bits in (0, 2, 4, 6, 8)}
    assert passing[0] == 2**14
    for bits in (2, 4, 6, 8):
        expected = 2**14 / 2**bits
        assert 0.7 * expected < passing[bits] < 1.3 * expected
    # and the first solution of a harder puzzle is also a solution of every easier one
    hard = solve({"salt": salt, "difficulty": 10})
    assert all(meets(salt, hard["nonce"], b) for b in range(11))


def test_difficulty_out_of_range_is_refused_at_issue():
    with pytest.raises(ValueError, match="between 0 and 32"):
        issue(difficulty_bits=33)
    with pytest.raises(ValueError, match="between 0 and 32"):
        issue(difficulty_bits=-1)


# --- the template ----------------------------------------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))
        if tag == "script":
            self.scripts.append(dict(attrs))


def test_include_renders_the_hidden_input_and_the_nonced_script():
    ch = issue(difficulty_bits=4)
    html = render_to_string("core/_challenge.html", {"challenge": ch, "csp_nonce": "n0nce"})
    parsed = _Inputs()
    parsed.feed(html)
    (field,) = parsed.inputs
    assert field["type"] == "hidden" and field["name"] == "challenge" and field["value"] == ""
    assert json.loads(field["data-challenge"]) == ch
    (script,) = parsed.scripts
    assert script["src"].endswith("core/challenge.js")
    assert script["nonce"] == "n0nce"
    assert "Đang kiểm tra" not in html  # the status text comes from the script
    assert render_to_string("core/_challenge.html", {"challenge": None}).strip() == ""


def test_include_escapes_hostile_values():
    ch = {**issue(difficulty_bits=4), "salt": "'><script>alert(1)</script>"}
    html = render_to_string("core/_challenge.html", {"challenge": ch, "csp_nonce": "n"})
    assert "<script>alert" not in html
    parsed = _Inputs()
    parsed.feed(html)
    assert json.loads(parsed.inputs[0]["data-challenge"])["salt"] == ch["salt"]


# --- the same rule in JavaScript -------------------------------------------------------------------------

NODE_SCRIPT = """
const c = require(process.argv[1]);
const input = JSON.parse(process.argv[2]);
(async () => {
  const hashes = input.texts.map((t) => Buffer.from(c.sha256(Buffer.from(t, "latin1"))).toString("hex"));
  const answers = [];
  for (const method of ["js", "subtle"]) {
    const ch = input.challenges.shift();
    answers.push({ ...ch, nonce: await c.solve(ch, { method }) });
  }
  console.log(JSON.stringify({ hashes, answers }));
})();
"""


@pytest.mark.skipif(
    NODE is None,
    reason="node is not installed; the same script is also checked in Chromium by the browser tests below",
)
def test_javascript_hash_and_solver_agree_with_python():
    texts = ["", "abc", "Mặt trận số".encode().decode("latin1"), "a" * 55, "a" * 56, "b" * 64, "c" * 200]
    challenges = [issue(difficulty_bits=12), issue(difficulty_bits=9)]
    out = subprocess.run(
        [NODE, "-e", NODE_SCRIPT, str(SCRIPT), json.dumps({"texts": texts, "challenges": challenges})],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["hashes"] == [hashlib.sha256(t.encode("latin1")).hexdigest() for t in texts]
    for answer in result["answers"]:
        assert verify(answer), answer


def test_script_is_plain_es2017():
    """No syntax newer than ES2017 (the cheap phones' browsers): no ?., ??, class fields, or imports."""
    source = SCRIPT.read_text()
    code = re.sub(r"//[^\n]*", "", source)
    for newer in ("?.", "??", "import ", "export "):
        assert newer not in code, newer
    assert "eval(" not in code and "new Function" not in code  # the CSP forbids both anyway


# --- in a browser ------------------------------------------------------------------------------------------


# Runs at DOMContentLoaded, right after the deferred challenge.js has started the solver (whose first
# slice is at most 40 ms of work): notes whether the answer is still missing, then taps "Gửi".
CLICK_AT_DOMCONTENTLOADED = """
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector("input[name=challenge]");
  if (!field) return;
  document.querySelector("input[name=probe]").value = JSON.stringify({
    pending: field.value === "",
    status: document.querySelector("[data-challenge-status]").textContent,
  });
  document.querySelector("button[type=submit]").click();
});
"""


def test_browser_fills_the_answer_and_sends_a_form_submitted_early(browser):
    """Chromium runs challenge.js under a nonce-only CSP: a form submitted before the work is done waits,
    then goes by itself with an answer that verify() accepts."""
    pages = {}

    def serve(route):
        if route.request.url.endswith("/challenge.js"):
            route.fulfill(body=SCRIPT.read_text(), content_type="text/javascript")
        elif route.request.url.endswith("/send"):
            route.fulfill(body="<p>ok</p>", content_type="text/html")
        else:
            route.fulfill(
                body=pages["form"],
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": "default-src 'self'; script-src 'nonce-testnonce'"},
            )

    page = browser.new_page()
    try:
        page.route("http://df.test/**", serve)
        page.add_init_script(CLICK_AT_DOMCONTENTLOADED)
        # 18 bits: about 260,000 hashes. If the first slice happened to find the answer before the tap, the
        # deferral was not exercised: try again with a new challenge.
        for _attempt in range(5):
            ch = issue(difficulty_bits=18)
            form = (
                '<form method="post" action="http://df.test/send"><textarea name="text">Đèn đường hỏng</textarea>'
                '<input type="hidden" name="probe">'
                + render_to_string("core/_challenge.html", {"challenge": ch, "csp_nonce": "testnonce"})
                + '<button type="submit">Gửi</button></form>'
            ).replace("/static/core/challenge.js", "http://df.test/challenge.js")
            pages["form"] = (
                f'<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>{form}</body></html>'
            )
            with page.expect_request("http://df.test/send", timeout=60_000) as sending:
                page.goto("http://df.test/form")
            fields = parse_qs(sending.value.post_data)
            probe = json.loads(fields["probe"][0])
            if probe["pending"]:
                break
    finally:
        page.close()
    assert probe == {"pending": True, "status": "Đang kiểm tra chống spam…"}
    assert fields["text"] == ["Đèn đường hỏng"]
    answer = json.loads(fields["challenge"][0])
    assert answer["salt"] == ch["salt"]
    assert verify(answer)


def test_browser_shows_done_when_the_answer_is_ready(browser):
    ch = issue(difficulty_bits=8)
    html = render_to_string("core/_challenge.html", {"challenge": ch, "csp_nonce": ""})
    page = browser.new_page()
    try:
        page.set_content(f"<form>{html}</form>")
        page.add_script_tag(content=SCRIPT.read_text())
        page.wait_for_function("document.querySelector('input[name=challenge]').value !== ''")
        assert page.text_content("[data-challenge-status]") == "Đã xong"
        assert verify(page.input_value("input[name=challenge]"))
    finally:
        page.close()
