"""WSGI entry point: the submission endpoint through a lean handler (``core.lean``), the rest through
Django's full stack."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfront.settings")
_full = get_wsgi_application()

from digitalfront.core.lean import dispatch  # noqa: E402 - after Django is set up

application = dispatch(_full)
