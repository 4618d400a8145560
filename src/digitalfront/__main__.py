"""The ``digitalfront`` console command: Django's manage.py under the product's name.

Command names may be written with hyphens (``digitalfront load-units``); they map to the
management commands of the same name with underscores.
"""

import os
import sys


def main() -> None:
    """Run a management command, accepting hyphenated command names."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfront.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "digitalfront"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
