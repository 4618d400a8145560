"""``digitalfront check-rollups``: recompute every roll-up from the raw reports and compare."""

import json

from django.core.management.base import BaseCommand

from digitalfront.core.progress import Progress
from digitalfront.orgs.models import Report, Rollup
from digitalfront.orgs.services import rollups


class Command(BaseCommand):
    help = "Tính lại toàn bộ số tổng hợp từ báo cáo gốc và báo mọi chênh lệch (phải bằng 0)."

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=20, help="In tối đa N ô chênh lệch")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, show=20, quiet=False, **options):
        progress = Progress(self.stderr, quiet=quiet)
        diffs = rollups.differences(lambda n: progress("tính lại theo cấp", n, 0))
        for (period_id, unit_id, org_type_id, measure), have, want in diffs[:show]:
            self.stderr.write(
                f"chênh lệch: kỳ {period_id}, đơn vị {unit_id}, tổ chức {org_type_id}, {measure}: "
                f"lưu {have}, tính lại {want}"
            )
        self.stdout.write(json.dumps({
            "reports": Report.objects.count(), "rollup_rows": Rollup.objects.count(), "differences": len(diffs),
        }))
        if diffs:
            raise SystemExit(1)
