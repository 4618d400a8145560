"""Benchmark of the library search (issue 5), embedded backend by default.

What it measures, on a fresh database and a fresh index of its own:

- **ALQAC**: the 2,249 articles of ``../shared/data/alqac/law_articles.json`` imported with
  ``digitalfront library import-alqac`` (lexical index and e5 vectors; the vectors come from the shared
  embedding cache ``var/cache/embeddings.sqlite3`` when an earlier run computed them, which
  ``embed_s`` shows); then every question of ``questions_dev.json`` searched twice through
  ``engine.search`` (parsing, the backend, article ranking, the query's e5 embedding and the semantic
  signal, loading the page of hits, snippets and facets): ``alqac_p50_ms``, ``alqac_p95_ms``;
- **large**: 1,000,000 generated passages (sentences of the law corpus recombined, with words swapped,
  in 2,000 documents of 50 articles) indexed through the same backend (``index_s.large``), then the
  same questions ranked over it, lexical ranking (``candidates`` + ``rank``): ``large_p50_ms``,
  ``large_p95_ms``. Semantic vectors for a corpus that size come from an embedding server in
  production, so none are computed here.

Targets: alqac_p95_ms <= 60, large_p95_ms <= 150. Run from the repository root (about 10 minutes the
first time, 6 later)::

    .venv/bin/python bench/search.py

``BENCH_PASSAGES`` changes the size of the large corpus. Progress goes to standard error; standard
output gets exactly one JSON line.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

from common import fresh_database, log, p95

ROOT = Path(__file__).resolve().parent.parent
ALQAC = Path(os.environ.get("DIGITALFRONT_ALQAC_PATH", ROOT.parent / "shared" / "data" / "alqac" / "law_articles.json"))
QUESTIONS = ALQAC.with_name("questions_dev.json")
PASSAGES = int(os.environ.get("BENCH_PASSAGES", "1000000"))
PER_ARTICLE, PER_DOCUMENT = 10, 50


def sentences() -> list[str]:
    texts = [a["text"] for a in json.loads(ALQAC.read_text(encoding="utf-8"))]
    return [s.strip() for t in texts for s in re.split(r"[\n;.]", t) if len(s.strip()) > 20]


def generated_rows(n: int) -> object:
    from digitalfront.library.search.base import IndexRow

    pool = sentences()
    words = [w for s in pool for w in s.split()]
    rnd = random.Random(2026)
    for i in range(n):
        article = i // PER_ARTICLE
        document = article // PER_DOCUMENT
        body = " ".join(rnd.choice(pool) for _ in range(rnd.randint(1, 3))).split()
        for _ in range(len(body) // 8):
            body[rnd.randrange(len(body))] = rnd.choice(words)
        heading = f"Điều {article % PER_DOCUMENT + 1}. " + " ".join(rnd.choice(words) for _ in range(6))
        yield IndexRow(passage_id=10_000_000 + i, document_id=10_000_000 + document, article_id=10_000_000 + article,
                       heading=heading, body=" ".join(body), title=f"Văn bản thử số {document}",
                       group="thu-vien-phap-luat", kind="law", status="in_force", issuing_body="Quốc hội",
                       year=2000 + document % 25)
        if i % PER_ARTICLE == 0:
            yield IndexRow(passage_id=10_000_000 + i, document_id=10_000_000 + document,
                           article_id=10_000_000 + article, heading=heading, body=" ".join(body), title="",
                           group="thu-vien-phap-luat", kind="law", status="in_force", issuing_body="Quốc hội",
                           year=None, level="article")


def main() -> None:
    if not ALQAC.is_file():
        sys.exit(f"không tìm thấy {ALQAC}: bench/search.py cần dữ liệu ALQAC của ../shared")
    os.environ.setdefault("DIGITALFRONT_EMBEDDINGS_CACHE", str(ROOT / "var" / "cache" / "embeddings.sqlite3"))
    with fresh_database() as backend_db:
        import django

        django.setup()
        from django.core.management import call_command

        from digitalfront.library import indexing
        from digitalfront.library.search import analysis, engine
        from digitalfront.library.search.base import Filters
        from digitalfront.library.services import imports

        call_command("migrate", verbosity=0)
        questions = [q["text"] for q in json.loads(QUESTIONS.read_text(encoding="utf-8"))]

        log("ALQAC: import (lexical index)")
        started = time.perf_counter()
        docs = imports.import_articles(imports.read_alqac(ALQAC), source="alqac")
        alqac_index_s = time.perf_counter() - started
        log("ALQAC: vectors")
        started = time.perf_counter()
        indexing.embed_missing(document_ids=[d.pk for d in docs])
        embed_s = time.perf_counter() - started
        for q in questions[:20]:  # warm-up: model loaded, vectors in memory
            engine.search(q)
        alqac = []
        for _ in range(2):
            for q in questions:
                t = time.perf_counter()
                page = engine.search(q)
                alqac.append((time.perf_counter() - t) * 1000)
                assert page.semantic
        log(f"ALQAC: p50 {statistics.median(alqac):.1f} ms, p95 {p95(alqac):.1f} ms")

        backend = indexing.get_backend()
        log(f"large: generating and indexing {PASSAGES:,} passages")
        started = time.perf_counter()
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 10:
                last[0] = time.perf_counter()
                log(f"{stage}: {done:,}/{total:,}")

        backend.add(generated_rows(PASSAGES), progress=progress, total=PASSAGES)  # type: ignore[call-arg]
        if hasattr(backend, "optimize"):
            backend.optimize()
        large_index_s = time.perf_counter() - started
        count = backend.count()
        large = []
        for q in questions[:20]:
            engine.rank(analysis.parse(q), backend.candidates(analysis.parse(q), Filters(), engine.CANDIDATES),
                        semantic=False)
        for _ in range(2):
            for q in questions:
                t = time.perf_counter()
                parsed = analysis.parse(q, engine.synonyms())
                engine.rank(parsed, backend.candidates(parsed, Filters(), engine.CANDIDATES), semantic=False)
                large.append((time.perf_counter() - t) * 1000)
        log(f"large: p50 {statistics.median(large):.1f} ms, p95 {p95(large):.1f} ms")
        print(json.dumps({
            "alqac_p50_ms": round(statistics.median(alqac), 1), "alqac_p95_ms": round(p95(alqac), 1),
            "large_p50_ms": round(statistics.median(large), 1), "large_p95_ms": round(p95(large), 1),
            "index_s": {"alqac": round(alqac_index_s, 1), "alqac_vectors": round(embed_s, 1),
                        "large": round(large_index_s, 1)},
            "passages": {"alqac": docs and sum(d.passages.count() for d in docs), "large": count},
            "queries": len(questions) * 2, "backend": getattr(backend, "name", "?"), "database": backend_db,
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
