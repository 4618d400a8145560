"""``digitalfront assistant <subcommand>``: the virtual assistant from the command line.

* ``eval --questions FILE [--limit N] [--llm-url URL]``: citation recall, abstentions and time on legal
  questions (ALQAC format), one JSON line; with a model (``--llm-url`` or ``DIGITALFRONT_LLM_URL``)
  also the accuracy of its verdicts on true/false and multiple-choice questions;
* ``ask QUESTION [--user USERNAME]``: one answer with its citations, as that user would get it.

Progress goes to stderr; the last line on stdout is JSON.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from digitalfront.core.errors import DomainError
from digitalfront.core.progress import Progress


class Command(BaseCommand):
    help = "Trợ lý ảo: đánh giá chất lượng trả lời, hỏi thử."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="LỆNH", parser_class=type(parser))
        common: dict[str, Any] = {"called_from_command_line": getattr(parser, "called_from_command_line", None)}
        p = sub.add_parser("eval", help="Đánh giá trợ lý trên bộ câu hỏi pháp luật (định dạng ALQAC)", **common)
        p.add_argument("--questions", required=True)
        p.add_argument("--limit", type=int, default=0, help="Chỉ dùng N câu hỏi đầu")
        p.add_argument("--llm-url", default=None, help="Địa chỉ API tương thích OpenAI của mô hình (…/v1)")
        p.add_argument("--quiet", action="store_true")
        p = sub.add_parser("ask", help="Hỏi thử một câu", **common)
        p.add_argument("question")
        p.add_argument("--user", default=None, help="Hỏi với quyền của tài khoản này (mặc định: đọc được mọi thứ)")
        p.add_argument("--llm-url", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        progress = Progress(self.stderr, quiet=options.get("quiet", False))
        try:
            result = getattr(self, "_" + options["subcommand"])(options, progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _client(self, options: dict[str, Any]) -> Any:
        from digitalfront.ai import generation

        url = options.get("llm_url")
        if url is None:
            return generation.configured()
        return generation.ChatClient(url=url, model=settings.ASSISTANT_LLM_MODEL,
                                     api_key=settings.ASSISTANT_LLM_API_KEY, timeout_s=settings.ASSISTANT_LLM_TIMEOUT)

    def _eval(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.assistant import evaluation
        from digitalfront.library.evaluation import read_questions

        questions = read_questions(options["questions"])
        if options["limit"] < 0:
            raise CommandError("--limit phải là số không âm.")
        if options["limit"]:
            questions = questions[: options["limit"]]
        return evaluation.evaluate(questions, client=self._client(options), progress=progress)

    def _ask(self, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
        from digitalfront.accounts.models import User
        from digitalfront.assistant import guard
        from digitalfront.assistant.models import Message
        from digitalfront.assistant.services.answers import answer_events

        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {options['user']}.")
        else:
            user = User(username="dong-lenh", is_superuser=True, is_active=True)
        message = Message(question=guard.clean(options["question"]))
        for _ in answer_events(message, user, client=self._client(options)):
            pass
        return message_out_unsaved(message)


def message_out_unsaved(message: Any) -> dict[str, Any]:
    return {"question": message.question, "outcome": message.outcome, "mode": message.mode, "answer": message.answer,
            "citations": [{k: c[k] for k in ("n", "label", "title", "url")} for c in message.citations],
            "sources": [{k: c[k] for k in ("label", "title", "url")} for c in message.sources],
            "notes": message.notes, "took_ms": message.took_ms}
