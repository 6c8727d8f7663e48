"""`kam serve`: collect the static files and serve OpenKAM with gunicorn."""

import contextlib
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve OpenKAM on http://127.0.0.1:8000 (gunicorn; --dev for Django's auto-reloader)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("KAM_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--dev", action="store_true", help="Django's development server.")

    def handle(self, *args, bind: str, workers: int, threads: int, dev: bool, **options) -> None:
        if dev:
            call_command("runserver", bind)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"OpenKAM on http://{bind}/  (Ctrl-C stops it)")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "openkam.config.wsgi",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        with contextlib.suppress(KeyboardInterrupt):
            subprocess.run(command, check=True)  # noqa: S603 - fixed argv, no shell
