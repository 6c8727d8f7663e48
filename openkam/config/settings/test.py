"""Settings for the test suite: DATABASE_URL picks SQLite (default) or PostgreSQL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, STORAGES

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATA_DIR = Path(tempfile.mkdtemp(prefix="openkam-test-"))
MEDIA_ROOT = DATA_DIR / "uploads"
FACTS_DIR = DATA_DIR / "facts"
IMPORTS_DIR = DATA_DIR / "imports"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise scans every static file each time a test client starts: ~0.2 s per test. The
# test live server serves static files through Django's own handler instead.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # An in-memory test database; the live server shares it through a named memory file.
    DATABASES["default"]["TEST"] = {"NAME": None}
# Tests that want the recompute after an import switch it on themselves (it costs ~1 s).
ANALYZE_AFTER_IMPORT = False
