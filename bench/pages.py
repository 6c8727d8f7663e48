"""How fast the cockpit and an account page answer — HTML and their API twins — with 10,000
accounts and 20 concurrent clients, against a real server on loopback.

Run with `make bench` (which keeps its data in var/bench/pages) or `.venv/bin/python
bench/pages.py [--accounts N] [--clients 20] [--requests 400] [--rounds 3]
[--workers W --threads T]`. It makes a throw-away data directory, loads `kam demo --accounts
N` there (accounts, teams, stakeholders, 600,000 order lines and the metrics snapshot `kam
analyze` computes), starts `kam serve --no-worker` (gunicorn) on a free port and measures every
page with `--clients` threads, each on its own keep-alive connection. `--data-dir DIR` reuses
(or fills, once) a directory, so that a second run skips the loading (5 to 15 minutes here).

Every client requests every page once before anything is measured (a cold worker compiles
templates and fills its caches); then the pages are measured in turn, `--rounds` times, and a
page's figures are the medians over the rounds.

The trivial authenticated view (`/api/users/me/`) is measured in the same run: the target is a
95th percentile under 150 ms and within 3× of the trivial view's.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KAM = [sys.executable, "-m", "openkam.cli"]
TARGET_MS = 150.0
TARGET_RATIO = 3.0


def _env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KAM_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="openkam.config.settings.local",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="",
    )
    env.pop("DATABASE_URL", None)  # the data directory's own SQLite file
    return env


def _kam(data_dir: str, *args: str) -> str:
    result = subprocess.run(
        [*KAM, *args], env=_env(data_dir), cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare(data_dir: str, accounts: int) -> None:
    marker = Path(data_dir) / "bench-pages-ready"
    if marker.exists():
        print(f"reusing {data_dir}")
        return
    started = time.perf_counter()
    _kam(data_dir, "migrate", "-v0")
    _kam(data_dir, "demo", "--accounts", str(accounts))
    print(f"demo data ({accounts:,} accounts) loaded in {time.perf_counter() - started:.0f} s")
    marker.write_text("ok")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data_dir: str, port: int, server_options: list[str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [*KAM, "serve", "--no-worker", "--bind", f"127.0.0.1:{port}", *server_options],
        env=_env(data_dir),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def session_cookie(port: int, username: str) -> str:
    """Log in through the login form, as a browser does; the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": "demo", "csrfmiddlewaretoken": token}
    ).encode()
    login = f"{base}/login/"  # loopback http only
    request = urllib.request.Request(login, data=data, headers={"Referer": base})  # noqa: S310
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not log in as {username}")
    return f"sessionid={cookies['sessionid']}"


def measure(port: int, path: str, cookie: str, clients: int, requests: int) -> list[float]:
    """`requests` GETs of `path` spread over `clients` threads (each its own connection);
    the latency of each in milliseconds."""
    samples: list[float] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)
    errors: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for i in range(per_client + 2):  # the first two warm the connection and the worker
            start = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
                return
            if i >= 2:
                mine.append(elapsed)
        connection.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(errors[0])
    return sorted(samples)


def p95(samples: list[float]) -> float:
    return samples[int(0.95 * (len(samples) - 1))]


def pick_account(port: int, cookie: str) -> int:
    """A key account with sales (its pages show everything: scorecard, metrics)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/metrics/accounts/?page_size=50", headers={"Cookie": cookie})
    rows = json.loads(connection.getresponse().read())["results"]
    return next(r["account"]["id"] for r in rows if r["account"]["status"] == "key")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", help="reuse (or fill once) this data directory")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: kam serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: kam serve's)")
    args = parser.parse_args()
    temporary = None if args.data_dir else tempfile.TemporaryDirectory(prefix="openkam-pages-")
    data_dir = args.data_dir or temporary.name  # type: ignore[union-attr]
    try:
        prepare(data_dir, args.accounts)
        port = _free_port()
        server_options = [
            *(["--workers", str(args.workers)] if args.workers else []),
            *(["--threads", str(args.threads)] if args.threads else []),
        ]
        server = serve(data_dir, port, server_options)
        try:
            run(port, args)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    finally:
        if temporary is not None:
            temporary.cleanup()


def run(port: int, args) -> None:
    director = session_cookie(port, "director")
    kam = session_cookie(port, "kam1")
    account = pick_account(port, director)
    pages = [
        ("trivial view /api/users/me/", "/api/users/me/", director),
        ("cockpit, director", "/portfolio/", director),
        ("cockpit, director, country TH", "/portfolio/?country=TH", director),
        ("cockpit, KAM (own accounts)", "/portfolio/", kam),
        ("API /api/portfolio/", "/api/portfolio/", director),
        ("API /api/portfolio/, KAM", "/api/portfolio/", kam),
        ("account page", f"/accounts/{account}/", director),
        ("account key-account tab", f"/key-accounts/{account}/", director),
        ("API /api/accounts/{id}/", f"/api/accounts/{account}/", director),
        ("API …/{id}/scorecard/", f"/api/accounts/{account}/scorecard/", director),
    ]
    print(
        f"{args.clients} concurrent clients, {args.requests} requests per page in each of "
        f"{args.rounds} rounds, `kam serve` (gunicorn) on 127.0.0.1:{port}"
    )
    for _, path, cookie in pages:  # warm-up: every worker compiles templates, fills caches
        measure(port, path, cookie, args.clients, args.clients)
    rounds: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in pages}
    for _ in range(args.rounds):
        for label, path, cookie in pages:
            samples = measure(port, path, cookie, args.clients, args.requests)
            rounds[label].append((statistics.median(samples), p95(samples)))
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}  verdict")
    trivial = None
    failures = 0
    for label, figures in rounds.items():
        median = statistics.median(m for m, _ in figures)
        high = statistics.median(h for _, h in figures)
        trivial = trivial or high
        ratio = high / trivial
        ok = high < TARGET_MS and ratio <= TARGET_RATIO
        failures += not ok
        spread = f"{min(h for _, h in figures):.0f}–{max(h for _, h in figures):.0f}"
        print(
            f"{label:34} {median:10.1f} {high:8.1f} {ratio:10.2f}  "
            f"{'ok' if ok else 'OVER TARGET'}  (p95 per round {spread})"
        )
    print(
        f"target: p95 < {TARGET_MS:.0f} ms and within {TARGET_RATIO:.0f}× of the trivial view; "
        f"{'all pages meet it' if not failures else f'{failures} page(s) miss it'}"
    )


if __name__ == "__main__":
    main()
