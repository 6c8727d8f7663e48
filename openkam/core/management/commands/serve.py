"""`kam serve`: collect the static files, start the background worker and serve OpenKAM."""

import contextlib
import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve OpenKAM on http://127.0.0.1:8000 with gunicorn, plus a background worker for "
        "imports (--dev: Django's auto-reloading server; --no-worker: no worker)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("KAM_BIND", "127.0.0.1:8000"))
        # Single-threaded workers, one more than the cores: a busy worker takes no new
        # connection, so requests spread evenly. Threaded workers keep each client's keep-alive
        # connection on the worker that accepted it, and a worker holding most of them queues
        # them behind each other (p95 40-100 % higher in bench/pages.py).
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--dev", action="store_true", help="Django's development server.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker nor the weekly digest's scheduler.",
        )

    def handle(self, *args, bind: str, workers: int, threads: int, dev: bool, **options) -> None:
        worker = None if options["no_worker"] else self._start_worker()
        scheduler = None if options["no_worker"] else self._start_scheduler()
        try:
            if dev:
                call_command("runserver", bind)
            else:
                self._serve(bind, workers, threads)
        finally:
            for process in (worker, scheduler):
                if process is not None:
                    process.terminate()
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(timeout=10)

    def _start_worker(self) -> subprocess.Popen:
        """django-tasks' database worker: runs imports queued from the web UI and the API."""
        command = [sys.executable, "-m", "openkam.cli", "db_worker", "--interval", "0.5"]
        self.stdout.write("Background worker started (imports run there).")
        return subprocess.Popen(command)  # noqa: S603 - fixed argv, no shell

    def _start_scheduler(self) -> subprocess.Popen:
        """Queues the weekly digest once a week (openkam/digest/schedule.py)."""
        command = [sys.executable, "-m", "openkam.cli", "digest", "schedule"]
        return subprocess.Popen(command)  # noqa: S603 - fixed argv, no shell

    def _serve(self, bind: str, workers: int, threads: int) -> None:
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
