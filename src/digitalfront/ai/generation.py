"""Text generation through an OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp's
server, ...), configured by URL: ``settings.ASSISTANT_LLM_URL`` (the base, ending in ``/v1``).

Nothing here knows about the assistant: :class:`ChatClient` sends messages and yields the answer's text
as it streams (server-sent events, ``data: {...}`` lines ending with ``data: [DONE]``). Every failure
(no connection, an HTTP error, a malformed stream, a timeout) is a :class:`GenerationError` with a
Vietnamese message, so that the caller can fall back to an answer without a model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

CONNECT_TIMEOUT_S = 5.0


class GenerationError(Exception):
    """The model could not answer (the message says why, in Vietnamese)."""


@dataclass
class ChatClient:
    url: str  # ".../v1"
    model: str = "default"
    api_key: str = ""
    timeout_s: float = 60.0

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/chat/completions"

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _post(self, body: dict[str, Any], *, stream: bool) -> requests.Response:
        try:
            response = requests.post(self.endpoint, json=body, headers=self._headers(), stream=stream,
                                     timeout=(CONNECT_TIMEOUT_S, self.timeout_s))
        except requests.Timeout as exc:
            raise GenerationError("Mô hình ngôn ngữ không trả lời kịp.") from exc
        except requests.RequestException as exc:
            raise GenerationError("Không kết nối được máy chủ mô hình ngôn ngữ.") from exc
        if response.status_code != 200:
            response.close()
            raise GenerationError(f"Máy chủ mô hình ngôn ngữ báo lỗi (HTTP {response.status_code}).")
        return response

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int = 400,
               temperature: float = 0.0) -> Iterator[str]:
        """The answer's text, piece by piece, as the server sends it."""
        body = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": temperature, "stream": True}
        deadline = time.monotonic() + self.timeout_s
        response = self._post(body, stream=True)
        finished = False  # a chunk carried finish_reason: the answer is whole even if [DONE] never comes
        try:
            for raw in response.iter_lines(decode_unicode=False):
                if time.monotonic() > deadline:
                    raise GenerationError("Mô hình ngôn ngữ trả lời quá lâu.")
                if not raw or not raw.startswith(b"data:"):
                    continue  # keep-alive comments, event names, blank separators
                data = raw[5:].strip()
                if data == b"[DONE]":
                    return
                try:
                    event = json.loads(data)
                    choice = event["choices"][0] if event.get("choices") else {}
                    piece = (choice.get("delta") or {}).get("content") or ""
                    finished = finished or bool(choice.get("finish_reason"))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    raise GenerationError("Máy chủ mô hình ngôn ngữ trả về dữ liệu không hợp lệ.") from exc
                if piece:
                    yield piece
            if not finished:
                # the stream ended early: the connection closed, or the server failed after its 200
                # (llama.cpp's server then sends an empty body)
                raise GenerationError("Máy chủ mô hình ngôn ngữ ngắt luồng trả lời khi chưa trả lời xong.")
        except requests.RequestException as exc:
            raise GenerationError("Mất kết nối với máy chủ mô hình ngôn ngữ.") from exc
        finally:
            response.close()

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 400, temperature: float = 0.0) -> str:
        """The whole answer at once (no streaming)."""
        body = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": temperature, "stream": False}
        response = self._post(body, stream=False)
        try:
            return str(response.json()["choices"][0]["message"]["content"] or "")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GenerationError("Máy chủ mô hình ngôn ngữ trả về dữ liệu không hợp lệ.") from exc
        finally:
            response.close()


def configured() -> ChatClient | None:
    """The client for the configured endpoint, or ``None`` (the assistant then answers extractively)."""
    url = getattr(settings, "ASSISTANT_LLM_URL", "")
    if not url:
        return None
    return ChatClient(url=url, model=settings.ASSISTANT_LLM_MODEL, api_key=settings.ASSISTANT_LLM_API_KEY,
                      timeout_s=settings.ASSISTANT_LLM_TIMEOUT)
