"""``digitalfront feedback SUBCOMMAND ...``: operators' tools for the feedback module.

Subcommands:

- ``api-key create NAME``: issue an Open311 API key for the client application NAME and print it once;
- ``api-key list``: every key (prefix, name, state, creation and last use), never the key itself;
- ``api-key revoke PREFIX``: refuse the key starting with PREFIX from now on.

Each subcommand is one entry of :data:`SUBCOMMANDS`: a function that adds its arguments to its parser
and a function that runs it (``add_<name>_arguments`` and ``run_<name>``). To add one (``retrain``,
``rotate-keys``), write those two functions and list them there.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from digitalfront.core.errors import DomainError

# --- api-key -----------------------------------------------------------------------------------------


def add_api_key_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="Cấp khoá mới và in ra một lần duy nhất.")
    create.add_argument("name", help="Tên ứng dụng được cấp khoá.")
    actions.add_parser("list", help="Liệt kê các khoá (không bao giờ in khoá).")
    revoke = actions.add_parser("revoke", help="Thu hồi khoá theo tiền tố (8 ký tự đầu).")
    revoke.add_argument("prefix", help="Tiền tố của khoá, như trong danh sách.")


def run_api_key(command: BaseCommand, options: dict[str, Any]) -> None:
    """``api-key create|list|revoke``."""
    from digitalfront.feedback import apikeys

    action = options["action"]
    if action == "create":
        issued = apikeys.create(name=options["name"])
        command.stdout.write(f"Đã cấp khoá API cho “{issued.api_key.name}” (tiền tố {issued.api_key.prefix}).")
        command.stdout.write("Khoá chỉ hiện một lần này, hãy lưu lại ngay:")
        command.stdout.write(issued.key)
    elif action == "list":
        keys = apikeys.listing()
        if not keys:
            command.stdout.write("Chưa có khoá API nào.")
        for key in keys:
            state = "đang dùng" if key.active else "đã thu hồi"
            used = f"{timezone.localtime(key.last_used_at):%Y-%m-%d %H:%M}" if key.last_used_at else "chưa dùng"
            command.stdout.write(
                f"{key.prefix}  {state:<10}  tạo {timezone.localtime(key.created_at):%Y-%m-%d %H:%M}  "
                f"dùng lần cuối {used}  {key.name}"
            )
    elif action == "revoke":
        api_key = apikeys.revoke(prefix=options["prefix"])
        command.stdout.write(f"Đã thu hồi khoá {api_key.prefix}… của “{api_key.name}”.")


# --- retrain -----------------------------------------------------------------------------------------


def add_retrain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--field", choices=["topic", "urgency", "sentiment"], action="append",
                        help="Chỉ huấn luyện mô hình này (mặc định: cả ba).")
    parser.add_argument("--no-embeddings", action="store_true",
                        help="Không dùng đặc trưng nhúng (nhanh hơn, kém chính xác hơn).")


def run_retrain(command: BaseCommand, options: dict[str, Any]) -> None:
    """Train the classification models on the labels staff confirmed or corrected."""
    import json

    from digitalfront.feedback.services.training import retrain

    report = retrain(fields=tuple(options.get("field") or ("topic", "urgency", "sentiment")),
                     use_embeddings=not options["no_embeddings"],
                     progress=lambda message: command.stderr.write(message))
    for field, result in report.items():
        if result["skipped"]:
            command.stderr.write(f"Bỏ qua {field}: {result['labels']} nhãn, {result['reason']}.")
    command.stdout.write(json.dumps(report, ensure_ascii=False))


# --- rotate-keys --------------------------------------------------------------------------------------


def add_rotate_keys_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", type=int, default=500, help="Số phản ánh mỗi giao dịch.")


def run_rotate_keys(command: BaseCommand, options: dict[str, Any]) -> None:
    """Re-seal identities with the first key of DIGITALFRONT_IDENTITY_KEYS."""
    from digitalfront.feedback.services.training import rotate_identity_keys

    if options["batch"] < 1:
        raise CommandError("--batch phải lớn hơn 0.")
    done = rotate_identity_keys(batch=options["batch"], progress=lambda message: command.stderr.write(message))
    command.stdout.write(f"Đã mã hoá lại danh tính của {done} phản ánh bằng khoá mới nhất.")


SUBCOMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[BaseCommand, dict[str, Any]], None]]
] = {
    "api-key": ("Quản lý khoá API Open311.", add_api_key_arguments, run_api_key),
    "retrain": ("Huấn luyện lại mô hình phân loại từ nhãn cán bộ đã xác nhận.", add_retrain_arguments,
                run_retrain),
    "rotate-keys": ("Mã hoá lại danh tính người gửi bằng khoá mới.", add_rotate_keys_arguments, run_rotate_keys),
}


class Command(BaseCommand):
    help = "Công cụ của mô-đun phản ánh, kiến nghị: " + ", ".join(SUBCOMMANDS)

    def add_arguments(self, parser: CommandParser) -> None:
        # Django's CommandParser keeps its own error handling for the subparsers it creates
        subcommands = parser.add_subparsers(
            dest="subcommand", metavar="SUBCOMMAND", required=True, parser_class=CommandParser
        )
        for name, (help_text, add, _run) in SUBCOMMANDS.items():
            add(subcommands.add_parser(name, help=help_text))

    def handle(self, *args: Any, **options: Any) -> None:
        _help, _add, run = SUBCOMMANDS[options["subcommand"]]
        try:
            run(self, options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
