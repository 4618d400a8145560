"""``digitalfront demo``: the whole country with realistic demo data, and demo logins."""

import json
import time

from django.core.management.base import BaseCommand

from digitalfront.assistant.demo import load_assistant_demo
from digitalfront.congresses.demo import load_congress_demo
from digitalfront.core.demo_users import ensure_demo_users
from digitalfront.core.progress import Progress
from digitalfront.feedback.demo import load_feedback_demo
from digitalfront.library.demo import load_library_demo
from digitalfront.orgs.demo import load_demo
from digitalfront.orgs.services.units import load_units


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu toàn quốc (đơn vị, báo cáo 4 quý, phản ánh, thư viện, trợ lý ảo, đại hội) "
            "và tài khoản dùng thử.")

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=None, help="Số thôn, tổ dân phố (mặc định 100000)")
        parser.add_argument("--periods", type=int, default=4, help="Số kỳ báo cáo đã qua có số liệu")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, villages=None, periods=4, quiet=False, **options):
        progress = Progress(self.stderr, quiet=quiet)
        started = time.monotonic()
        counts = load_units(villages=villages, progress=progress)
        units_s = time.monotonic() - started
        orgs = load_demo(periods=periods, progress=progress)
        users = ensure_demo_users()
        feedback = load_feedback_demo(progress=progress)
        library = load_library_demo(progress=progress)
        assistant = load_assistant_demo(progress=progress)
        congresses = load_congress_demo(progress=progress)
        result = {**counts, **orgs, "feedback": feedback, "library": library, "assistant": assistant,
                  "congresses": congresses,
                  "units_s": round(units_s, 1),
                  "seconds": round(time.monotonic() - started, 1)}
        if not quiet:
            self.stderr.write(f"Tài khoản dùng thử (mật khẩu: {users['password']}):")
            for username, description in users["accounts"]:
                self.stderr.write(f"  {username:<16} {description}")
        self.stdout.write(json.dumps(result))
