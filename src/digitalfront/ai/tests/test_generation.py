"""The chat-completions client alone (:mod:`digitalfront.ai.generation`), over real HTTP: against
llama.cpp's server on a small real model, and against a fake endpoint that misbehaves (an HTTP error,
a cut or malformed stream, a closed port, a slow answer). Every failure is a Vietnamese
``GenerationError``, never an exception of ``requests`` or ``json``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from digitalfront.ai.generation import ChatClient, GenerationError, configured
from digitalfront.assistant.tests import llm_server
from digitalfront.assistant.tests.llm_server import FakeLLM, Script

MESSAGES = [{"role": "system", "content": "Trả lời ngắn gọn bằng tiếng Việt."},
            {"role": "user", "content": "Hà Nội là thủ đô của nước nào?"}]


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: Any) -> Iterator[str]:
    """llama.cpp's server on Gemma 3 270M (shared with the assistant's tests in the same process)."""
    llm_server.require()
    server = llm_server.acquire(tmp_path_factory.mktemp("llm"))
    yield server.url
    llm_server.release()


# --- the real server --------------------------------------------------------------------------------


def test_streams_pieces_from_a_real_model(llm_url: str) -> None:
    client = ChatClient(url=llm_url, timeout_s=120)
    served = llm_server.completions_served()
    pieces = list(client.stream(MESSAGES, max_tokens=16))
    assert len(pieces) > 1, pieces
    assert all(isinstance(p, str) and p for p in pieces)
    assert "".join(pieces).strip()
    # the whole answer at once, from the same server: text, not the stream's events
    whole = client.complete(MESSAGES, max_tokens=16)
    assert isinstance(whole, str) and whole.strip()
    assert "data:" not in whole and "[DONE]" not in whole
    assert llm_server.completions_served() == served + 2


def test_real_server_models_and_errors(llm_url: str) -> None:
    import requests

    models = requests.get(llm_url + "/models", timeout=10).json()
    assert models["data"][0]["id"] == llm_server.MODEL_ALIAS
    # a prompt longer than the context: refused with HTTP 400 at once, but streamed as a 200 with an
    # empty body (the server fails inside its generator): both are a GenerationError, not an empty answer
    too_long = [{"role": "user", "content": "xin chào " * (llm_server.N_CTX + 100)}]
    client = ChatClient(url=llm_url, timeout_s=120)
    with pytest.raises(GenerationError, match="HTTP 400"):
        client.complete(too_long, max_tokens=4)
    with pytest.raises(GenerationError, match="chưa trả lời xong"):
        list(client.stream(too_long, max_tokens=4))


# --- a fake endpoint, over real HTTP ------------------------------------------------------------------


def test_sends_an_openai_request_and_reads_the_stream() -> None:
    script = Script(pieces=("Việt ", "Nam", " [1]."), raw=(b": keep-alive comment", b"event: ping"))
    with FakeLLM(script) as fake:
        client = ChatClient(url=fake.url + "/", model="m", api_key="k-123", timeout_s=5)
        assert list(client.stream(MESSAGES, max_tokens=7, temperature=0.0)) == ["Việt ", "Nam", " [1]."]
        assert client.complete(MESSAGES, max_tokens=7) == "Việt Nam [1]."
    first, second = fake.requests
    assert first == {"model": "m", "messages": MESSAGES, "max_tokens": 7, "temperature": 0.0, "stream": True}
    assert second["stream"] is False
    assert fake.headers[0]["Authorization"] == "Bearer k-123"


def test_no_authorization_header_without_a_key() -> None:
    with FakeLLM(Script()) as fake:
        list(ChatClient(url=fake.url).stream(MESSAGES))
    assert "Authorization" not in fake.headers[0]


@pytest.mark.parametrize("script", [
    pytest.param(Script(status=500), id="http-500"),
    pytest.param(Script(status=404), id="http-404"),
    pytest.param(Script(raw=(b"data: {not json",)), id="malformed-json"),
    pytest.param(Script(raw=(b'data: {"choices": "nope"}',)), id="malformed-shape"),
    pytest.param(Script(cut=True), id="cut-mid-chunk"),
    pytest.param(Script(chunked=False, done=False, finish=False), id="closed-before-done"),
])
def test_a_broken_stream_is_a_generation_error(script: Script) -> None:
    with FakeLLM(script) as fake, pytest.raises(GenerationError) as caught:
        list(ChatClient(url=fake.url, timeout_s=5).stream(MESSAGES))
    assert caught.value.args[0].startswith(("Máy chủ mô hình", "Mất kết nối")), caught.value


def test_a_stream_that_ends_without_done_but_finished_is_whole() -> None:
    """Some servers close after the chunk that carries ``finish_reason``, without ``data: [DONE]``."""
    with FakeLLM(Script(pieces=("Có", " [1]."), chunked=False, done=False)) as fake:
        assert "".join(ChatClient(url=fake.url, timeout_s=5).stream(MESSAGES)) == "Có [1]."


def test_a_closed_port_is_a_generation_error() -> None:
    port = llm_server.free_port()  # nothing listens there
    with pytest.raises(GenerationError, match="Không kết nối được"):
        list(ChatClient(url=f"http://127.0.0.1:{port}/v1", timeout_s=2).stream(MESSAGES))
    with pytest.raises(GenerationError, match="Không kết nối được"):
        ChatClient(url=f"http://127.0.0.1:{port}/v1", timeout_s=2).complete(MESSAGES)


def test_a_slow_server_times_out() -> None:
    with FakeLLM(Script(headers_delay_s=5)) as fake:
        started = time.monotonic()
        with pytest.raises(GenerationError, match="không trả lời kịp"):
            list(ChatClient(url=fake.url, timeout_s=0.5).stream(MESSAGES))
        assert time.monotonic() - started < 3


def test_a_server_that_trickles_past_the_deadline_is_cut_off() -> None:
    pieces = tuple(f"mẩu {i} " for i in range(40))
    with FakeLLM(Script(pieces=pieces, piece_delay_s=0.1)) as fake:
        started = time.monotonic()
        got: list[str] = []
        with pytest.raises(GenerationError, match="quá lâu"):
            got.extend(ChatClient(url=fake.url, timeout_s=0.8).stream(MESSAGES))
        assert time.monotonic() - started < 2.5


def test_complete_with_an_http_error() -> None:
    with FakeLLM(Script(status=502)) as fake, pytest.raises(GenerationError, match="HTTP 502"):
        ChatClient(url=fake.url, timeout_s=5).complete(MESSAGES)


def test_configured_reads_the_settings(settings: Any) -> None:
    settings.ASSISTANT_LLM_URL = ""
    assert configured() is None
    settings.ASSISTANT_LLM_URL = "http://127.0.0.1:9/v1"
    settings.ASSISTANT_LLM_MODEL, settings.ASSISTANT_LLM_API_KEY, settings.ASSISTANT_LLM_TIMEOUT = "m", "k", 3.0
    client = configured()
    assert client == ChatClient(url="http://127.0.0.1:9/v1", model="m", api_key="k", timeout_s=3.0)
    assert client.endpoint == "http://127.0.0.1:9/v1/chat/completions"
