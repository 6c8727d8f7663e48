"""Settings shared by every environment. Everything that differs between machines comes from
the environment (see README, "Configuration")."""

import datetime as dt
from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../openkam
BASE_DIR = PACKAGE_DIR.parent

env = environ.Env()

# Uploads, fact files and rejects live here; the default SQLite database too.
DATA_DIR = Path(env.str("KAM_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'openkam.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep each server thread's connection open between requests (opening one costs about as much
# as a small query), checked before reuse so that a restarted database is no error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or a worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    # OpenKAM, one app per domain area
    "openkam.core",
    "openkam.users",
    "openkam.accounts",
    "openkam.stakeholders",
    "openkam.activities",
    "openkam.competitors",
    "openkam.tenders",
    "openkam.catalog",
    "openkam.sales",
    "openkam.keyaccounts",
    "openkam.metrics",
    "openkam.portfolio",
    "openkam.dossier",
    "openkam.plans",
    "openkam.timeline",
    "openkam.briefs",
    "openkam.commitments",
    "openkam.health",
    "openkam.alerts",
    "openkam.timesplit",
    "openkam.digest",
    "openkam.satisfaction",
    "openkam.whatif",
    "openkam.sellout",
    "openkam.growth",
    "openkam.marketing",
    "openkam.losses",
    "openkam.winback",
    "openkam.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openkam.users.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "openkam.config.urls"
WSGI_APPLICATION = "openkam.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Each language under its own name, as its speakers look for it in the switcher.
LANGUAGES = [
    ("en", "English"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("sr-latn", "Srpski latinicom"),
    ("fil", "Filipino"),
]
# Django knows Filipino's plural rules from our catalogue, but not its name.
LANG_INFO.setdefault(
    "fil", {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"}
)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The language of the CLI's summaries, and of a first visit whose browser asks for none of ours.
LANGUAGE_CODE = env.str("KAM_LANGUAGE", default="en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"KAM_LANGUAGE={LANGUAGE_CODE!r} is not one of OpenKAM's languages: "
        f"use one of {', '.join(dict(LANGUAGES))}."
    )
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then answers 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "openkam.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "openkam.core.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "OpenKAM API",
    "DESCRIPTION": (
        "Key Account Management: accounts, stakeholders and account teams. "
        "Authenticate with a session or with `Authorization: Token <token>` "
        "(obtain one from `POST /api/auth/token/`)."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "openkam.accounts.models.AccountStatus",
        "TeamRoleEnum": "openkam.accounts.models.TeamRole",
        "BuyingRoleEnum": "openkam.stakeholders.models.BuyingRole",
        "CoverageEnum": "openkam.metrics.api.serializers.COVERAGE_CHOICES",
        "ValueKindEnum": "openkam.plans.models.ValueKind",
        "PlanStatusEnum": "openkam.plans.models.PlanStatus",
        "ActionStatusEnum": "openkam.plans.models.ActionStatus",
        "NominationKindEnum": "openkam.keyaccounts.models.NominationKind",
        "TimelineEventKindEnum": "openkam.timeline.events.EventKind",
        "RequestKindEnum": "openkam.commitments.models.RequestKind",
        "TypeEnum": "openkam.keyaccounts.models.KeyAccountType",  # also a target list's rule
        "LevelEnum": "openkam.health.models.HealthLevel",  # also a target list's rule
    },
}

# Sales facts (Parquet) and the currency every amount is converted to.
FACTS_DIR = DATA_DIR / "facts"
IMPORTS_DIR = DATA_DIR / "imports"
REPORTING_CURRENCY = env.str("KAM_REPORTING_CURRENCY", default="USD")
# Where the analytics engine reads the order lines: duckdb (default, over the Parquet store),
# postgres (the store copied into KAM_FACT_DATABASE_URL with COPY) or pyspark (local mode).
FACT_ENGINE = env.str("KAM_FACT_ENGINE", default="duckdb")
FACT_DATABASE_URL = env.str("KAM_FACT_DATABASE_URL", default="")


# Recompute the metrics (as of today) in the background after every import.
# The first day the imported sales history covers, when the first invoice is later than the
# export's start (say the ERP export starts on 1 January and the first sale is on 3 January).
def _history_start(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as error:
        raise ImproperlyConfigured(
            f"KAM_HISTORY_START={text!r} is not a date: use YYYY-MM-DD, e.g. 2010-12-01 "
            "(README.md, Configuration)."
        ) from error


HISTORY_START = _history_start(env.str("KAM_HISTORY_START", default=""))
# When an account counts as lost (silence or rhythm) and as shrinking (README.md, Metrics).
from openkam.metrics.loss_settings import from_environment as _loss_settings  # noqa: E402

_LOSS = _loss_settings(env.ENVIRON)  # validated: a wrong value names the variable and the fix
KAM_LOST_CRITERION = _LOSS["KAM_LOST_CRITERION"]
KAM_LOST_AFTER_DAYS = _LOSS["KAM_LOST_AFTER_DAYS"]
KAM_LOST_RHYTHM_MULTIPLE = _LOSS["KAM_LOST_RHYTHM_MULTIPLE"]
KAM_LOST_RHYTHM_FLOOR_DAYS = _LOSS["KAM_LOST_RHYTHM_FLOOR_DAYS"]
KAM_SHRINKING_DECLINE = _LOSS["KAM_SHRINKING_DECLINE"]
ANALYZE_AFTER_IMPORT = env.bool("KAM_ANALYZE_AFTER_IMPORT", default=True)
# A portrait section not reviewed for this many months is flagged stale on the account.
KAM_PORTRAIT_STALE_MONTHS = env.int("KAM_PORTRAIT_STALE_MONTHS", default=6)
# Coverage (org chart): a department or key person not met for this many days is a gap.
KAM_COVERAGE_DAYS = env.int("KAM_COVERAGE_DAYS", default=90)
# Customer requests: the working day their response time is counted in (Monday to Friday, in
# TIME_ZONE) and the target for a first answer, in working hours.
KAM_WORKING_HOURS = env.str("KAM_WORKING_HOURS", default="09:00-18:00")
KAM_RESPONSE_HOURS = env.float("KAM_RESPONSE_HOURS", default=24.0)
# The time split: the share of a key account manager's time that should go to key accounts.
KAM_KEY_ACCOUNT_TIME_TARGET = env.float("KAM_KEY_ACCOUNT_TIME_TARGET", default=0.8)

# E-mail (the weekly digest): SMTP when EMAIL_HOST is set, else printed on the console (the
# demo). EMAIL_BACKEND overrides either.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpenKAM <openkam@localhost>")
# The weekly digest: where its links point, when it is sent (local time, TIME_ZONE; weekday
# "off" stops the schedule) and after how many days without contact an account is listed.
KAM_BASE_URL = env.str("KAM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
KAM_DIGEST_WEEKDAY = env.str("KAM_DIGEST_WEEKDAY", default="monday")
KAM_DIGEST_TIME = env.str("KAM_DIGEST_TIME", default="07:00")
KAM_DIGEST_SILENT_DAYS = env.int("KAM_DIGEST_SILENT_DAYS", default=60)

# Background work (imports, recomputes): the database queue by default, served by
# `kam db_worker` (started by `kam serve`). KAM_TASKS=immediate runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env.str("KAM_TASKS", default="database") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
