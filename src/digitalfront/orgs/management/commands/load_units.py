"""``digitalfront load-units [--villages N]``: the national unit hierarchy, idempotently."""

import json

from django.core.management.base import BaseCommand

from digitalfront.core.progress import Progress
from digitalfront.orgs.services.units import load_units


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, 3.321 xã (gói vietnam-provinces) và sinh thôn, tổ dân phố; chạy lại không nhân đôi."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=None,
                            help="Số thôn, tổ dân phố sinh ra (mặc định DIGITALFRONT_VILLAGES, 100000)")
        parser.add_argument("--quiet", action="store_true", help="Không in tiến độ")

    def handle(self, *args, villages=None, quiet=False, **options):
        if villages is not None and villages < 0:
            self.stderr.write("Số thôn, tổ dân phố phải không âm.")
            raise SystemExit(2)
        counts = load_units(villages=villages, progress=Progress(self.stderr, quiet=quiet))
        self.stdout.write(json.dumps(counts))
