"""`kam`: the one command-line interface of OpenKAM.

It is Django's management command runner with OpenKAM's settings as the default, so every
management command works: `kam demo`, `kam serve`, `kam migrate`, `kam createsuperuser`, ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.config.settings.local")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["kam", *args])


if __name__ == "__main__":
    main()
