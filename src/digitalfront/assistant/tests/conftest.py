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
