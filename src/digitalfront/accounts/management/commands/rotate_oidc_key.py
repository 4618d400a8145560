"""``digitalfront rotate-oidc-key``: a new key signs ID tokens; the old one stays in the JWKS."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from digitalfront.accounts import signing


class Command(BaseCommand):
    help = "Tạo khóa ký OIDC mới; khóa cũ vẫn được công bố trong JWKS để kiểm tra các token đã cấp."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.OIDC_PRIVATE_KEY:
            raise CommandError(
                "Khóa ký được cấu hình bằng DIGITALFRONT_OIDC_PRIVATE_KEY: hãy đổi khóa trong cấu hình."
            )
        key = signing.rotate()
        self.stdout.write(json.dumps({"kid": key.kid, "inactive": len(signing.inactive_private_keys())}))
