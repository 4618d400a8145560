"""Fixtures of the assistant's tests: a small library (the library tests' own texts), an isolated search
index and knowledge index per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from digitalfront.assistant import knowledge_index
from digitalfront.library import indexing
from digitalfront.library.search import engine
from digitalfront.library.tests.conftest import make_library


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Any, settings: Any, db: Any) -> Iterator[None]:
    settings.LIBRARY_SEARCH_PATH = tmp_path / "search" / "library.sqlite3"
    settings.LIBRARY_SEARCH_BACKEND = "embedded"
    settings.ASSISTANT_LLM_URL = ""
    indexing.reset_backend()
    engine.forget_synonyms()
    cache.delete(indexing.VECTOR_GENERATION_KEY)
    cache.delete(knowledge_index.GENERATION_KEY)
    knowledge_index.reset()
    yield
    indexing.reset_backend()
    knowledge_index.reset()


@pytest.fixture
def library(db: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """The library tests' three documents: a law on residence (in force), a repealed decree, a guide."""
    return make_library(django_capture_on_commit_callbacks)


# --- a real model server for the generative path (llama.cpp on Gemma 3 270M: tests/llm_server.py) ---


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: Any) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT/v1``) of llama.cpp's OpenAI-compatible server on a small
    real model, one per test process. Skipped without llama_cpp and the model's package; fails in CI."""
    from . import llm_server

    llm_server.require()
    server = llm_server.acquire(tmp_path_factory.mktemp("llm"))
    yield server.url
    llm_server.release()
