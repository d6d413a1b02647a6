"""Settings for wenminghao, read from environment variables prefixed ``WMH_`` and ``DATABASE_URL``.

Demo mode (``WMH_DEMO=1``, what ``make run`` sets) keeps a generated secret key in the data directory
and allows plain-HTTP cookies on 127.0.0.1. Anywhere else the secret key must be given, or start-up
stops with a clear message.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("WMH_TESTING")
DEMO = env_bool("WMH_DEMO")
DEBUG = env_bool("WMH_DEBUG")

DATA_DIR = Path(os.environ.get("WMH_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("WMH_SECRET_KEY")
    if key:
        return key
    if DEMO or DEBUG or TESTING:
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "WMH_SECRET_KEY is not set. Set it to a long random string in production "
        "(or set WMH_DEMO=1 for a local demonstration)."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("WMH_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("WMH_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "wenminghao.core.admin_apps.OperationsAdminConfig",  # django.contrib.admin: read-only, superusers only
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "wenminghao.core.taskworker",  # before django_tasks_db: its `db_worker` wraps the library's (core/workers.py)
    "django_tasks_db",
    "ninja",  # serves the API docs (Swagger UI) from our own static files: no CDN, CSP-safe
    "django_otp",  # the optional second factor of admins (accounts/twofactor.py)
    "django_otp.plugins.otp_totp",
    "wenminghao.core",
    "wenminghao.accounts",
    "wenminghao.orgs",
    "wenminghao.collectives",
    "wenminghao.campaigns",
    "wenminghao.works",
    "wenminghao.projects",
    "wenminghao.ledger",
    "wenminghao.reviews",
    "wenminghao.notices",
    "wenminghao.stories",
    "wenminghao.evaluation",
    "wenminghao.api",
    "wenminghao.public",
    "wenminghao.workbench",
    "wenminghao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wenminghao.accounts.middleware.IdleSessionMiddleware",
    "wenminghao.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wenminghao.core.middleware.SecurityHeadersMiddleware",
    "wenminghao.api.middleware.ApiErrorShapeMiddleware",
]

ROOT_URLCONF = "wenminghao.urls"
WSGI_APPLICATION = "wenminghao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wenminghao.core.context_processors.navigation",
                "wenminghao.core.context_processors.notifications",
            ],
        },
    }
]

# Database: SQLite (WAL) in the data directory unless DATABASE_URL names another.
_default_db_url = f"sqlite:///{DATA_DIR / 'wenminghao.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost: 20–30 ms of compiling for
    # queries that run in 40 ms (the dashboard's, bench/evaluation_scale.py), never repaid in a web request.
    # WMH_PG_OPTIONS replaces it (empty behind PgBouncer, which refuses startup options: then ALTER ROLE … SET jit).
    _pg_options = os.environ.get("WMH_PG_OPTIONS", "-c jit=off").strip()
    if _pg_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = _pg_options
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "wenminghao.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "wenminghao.accounts.hashers.PlatformArgon2PasswordHasher",  # Argon2id at OWASP's parameters (hashers.py)
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (accounts/throttling.py, docs/decisions.md). Failures count within the window per account
# name and address: a name may fail WMH_LOGIN_MAX_FAILURES times from one address without delay, then each try waits
# twice as long as the last, from WMH_LOGIN_DELAY_SECONDS up to the window. From an address with
# WMH_LOGIN_MAX_FAILURES_PER_IP failures (any names), or for an account with WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT
# (any addresses), the delays start after the first failure. A name that has not failed from an address is always
# checked: a colleague's right password gets in whatever others did from the same (office, NAT) address.
WMH_LOGIN_MAX_FAILURES = int(os.environ.get("WMH_LOGIN_MAX_FAILURES", "5"))
WMH_LOGIN_DELAY_SECONDS = int(os.environ.get("WMH_LOGIN_DELAY_SECONDS", "30"))
WMH_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("WMH_LOGIN_MAX_FAILURES_PER_IP", "30"))
WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT", "50"))
WMH_LOGIN_WINDOW_SECONDS = int(os.environ.get("WMH_LOGIN_WINDOW_SECONDS", "900"))
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client (wsgi.py). Empty:
# the address is the connection's own, whatever a client sends.
WMH_TRUSTED_PROXIES = env_list("WMH_TRUSTED_PROXIES")
WMH_API_TOKEN_DAYS = int(os.environ.get("WMH_API_TOKEN_DAYS", "30"))
# Sessions (accounts/middleware.py): a signed-in page session ends after WMH_SESSION_IDLE_MINUTES without a request
# (the last activity is written to the session at most once a minute); SESSION_COOKIE_AGE stays the absolute limit
# from sign-in. API bearer tokens are not sessions and keep their WMH_API_TOKEN_DAYS.
WMH_SESSION_IDLE_MINUTES = int(os.environ.get("WMH_SESSION_IDLE_MINUTES", "120"))
# The second factor (TOTP, accounts/twofactor.py): optional for office and unit admins; with this on, an admin without
# an authenticator must enrol before any other page. django-otp's own per-device throttle is off: wrong codes count in
# accounts.throttling like wrong passwords, with the same limits.
WMH_REQUIRE_2FA_FOR_ADMINS = env_bool("WMH_REQUIRE_2FA_FOR_ADMINS")
OTP_TOTP_ISSUER = os.environ.get("WMH_TOTP_ISSUER", "青年文明号")
OTP_TOTP_THROTTLE_FACTOR = 0
# Public supervision (公众监督, public/throttling.py): a visitor's feedback is counted in the database per address (an
# HMAC of it with SECRET_KEY, never the address) and per post. At most WMH_FEEDBACK_PER_ADDRESS_10MIN from one address
# in 10 minutes and WMH_FEEDBACK_PER_ADDRESS_DAY in 24 hours, and WMH_FEEDBACK_PER_POST_HOUR to one post in an hour;
# past that the form and the API answer 429 with Retry-After.
WMH_FEEDBACK_PER_ADDRESS_10MIN = int(os.environ.get("WMH_FEEDBACK_PER_ADDRESS_10MIN", "5"))
WMH_FEEDBACK_PER_ADDRESS_DAY = int(os.environ.get("WMH_FEEDBACK_PER_ADDRESS_DAY", "20"))
WMH_FEEDBACK_PER_POST_HOUR = int(os.environ.get("WMH_FEEDBACK_PER_POST_HOUR", "30"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("WMH_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
# Media is private: no URL serves MEDIA_ROOT; files reach users through permission-checking views.
MEDIA_URL = "/media/"

# Storage: local files under the data directory, or S3-compatible object storage.
if os.environ.get("WMH_STORAGE", "local") == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("WMH_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("WMH_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("WMH_S3_REGION") or None,
            "access_key": os.environ.get("WMH_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("WMH_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # signed addresses in Signature Version 4 (AWS, MinIO, Ceph, OSS, COS accept it; boto3 would sign
            # SigV2 for us-east-1, which newer buckets refuse)
            "signature_version": os.environ.get("WMH_S3_SIGNATURE_VERSION") or "s3v4",
            # an object read back (a task worker's copy of an original, a unit's zip) spools to a temporary file
            # above 2 MiB instead of being held whole in memory
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    _media_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
# Behind nginx, local files are sent by nginx itself (ranges included) from this internal location: core/files.py
# answers with X-Accel-Redirect: <prefix><stored name>. Empty: the app sends the bytes (docs/deployment.md).
WMH_ACCEL_REDIRECT_PREFIX = os.environ.get("WMH_ACCEL_REDIRECT_PREFIX", "")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Above this many works the pages' Attachment 2 table is made by the task worker (reviews.exports.SummaryRequest).
WMH_SUMMARY_DIRECT_ROWS = int(os.environ.get("WMH_SUMMARY_DIRECT_ROWS", "300"))
WMH_IMPORT_MAX_BYTES = int(os.environ.get("WMH_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))

# Sessions live in the database so that several app servers behind one address just work.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less template header instead

# Security: HTTPS-only cookies and HSTS unless this is the local demo or a test run.
_local = DEMO or DEBUG or TESTING
SECURE_SSL_REDIRECT = env_bool("WMH_SSL_REDIRECT", not _local)
SESSION_COOKIE_SECURE = not _local
CSRF_COOKIE_SECURE = not _local
SECURE_HSTS_SECONDS = 0 if _local else int(os.environ.get("WMH_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _local
SECURE_HSTS_PRELOAD = env_bool("WMH_HSTS_PRELOAD", not _local)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The load balancer's health probe may come over plain HTTP from inside the network (core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("WMH_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Slow work (thumbnails, exports) runs in task workers: `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# A worker's heartbeat, and how long a worker may be silent before the tasks it left RUNNING are run again by another
# (a worker killed in the middle of a task: core/workers.py); a task whose workers died this many times fails.
WMH_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WMH_WORKER_HEARTBEAT_SECONDS", "10"))
WMH_WORKER_STALE_SECONDS = float(os.environ.get("WMH_WORKER_STALE_SECONDS", "60"))
WMH_TASK_MAX_ATTEMPTS = int(os.environ.get("WMH_TASK_MAX_ATTEMPTS", "3"))

# /healthz fails (503) when the oldest task ready to run has waited longer than this; 0: the lag is only reported.
WMH_HEALTH_MAX_TASK_LAG_SECONDS = int(os.environ.get("WMH_HEALTH_MAX_TASK_LAG_SECONDS", "900"))

# The platform's public address, for links in e-mails (notifications are sent outside any request).
WMH_SITE_URL = os.environ.get("WMH_SITE_URL", "http://127.0.0.1:8000" if _local else "").rstrip("/")
EMAIL_BACKEND = os.environ.get(
    "WMH_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if _local else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("WMH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WMH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WMH_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WMH_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WMH_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("WMH_FROM_EMAIL", "wenminghao@localhost")

# Log lines on standard error: time, level, logger and message; one JSON object a line with WMH_LOG_FORMAT=json
# (core/logs.py). The platform's own INFO lines (uploads accepted or refused, failed tasks, failed sign-ins) are
# kept at WMH_APP_LOG_LEVEL whatever WMH_LOG_LEVEL says of the libraries.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "wenminghao.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("WMH_LOG_FORMAT", "text").strip().lower() == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("WMH_LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {"level": os.environ.get("WMH_APP_LOG_LEVEL", "INFO")}
        for name in ("wenminghao", "django_tasks", "django_tasks_db")
    },
}

NINJA_PAGINATION_MAX_LIMIT = 200

# Attachment 1 size limits, checked while the upload streams (HTTP 413 past them).
WMH_PICTURE_MAX_BYTES = int(os.environ.get("WMH_PICTURE_MAX_BYTES", str(20 * 1024 * 1024)))
WMH_VIDEO_MAX_BYTES = int(os.environ.get("WMH_VIDEO_MAX_BYTES", str(300 * 1024 * 1024)))
WMH_DOCX_MAX_BYTES = int(os.environ.get("WMH_DOCX_MAX_BYTES", str(20 * 1024 * 1024)))
# Pictures above this many pixels are refused before decoding (decompression bombs).
WMH_MAX_IMAGE_PIXELS = int(os.environ.get("WMH_MAX_IMAGE_PIXELS", str(120_000_000)))
# A ledger entry's photo or document (JPEG, PNG, PDF, .docx); above WMH_LEDGER_DIRECT_EXPORT_ROWS rows a unit's
# ledger .xlsx is made by the task worker (an export job) instead of in the request.
WMH_LEDGER_FILE_MAX_BYTES = int(os.environ.get("WMH_LEDGER_FILE_MAX_BYTES", str(20 * 1024 * 1024)))
WMH_LEDGER_DIRECT_EXPORT_ROWS = int(os.environ.get("WMH_LEDGER_DIRECT_EXPORT_ROWS", "2000"))

# The term (届期) of a title named by the platform, in years per level: a naming of year Y is valid until 31 December
# of Y + term (Fujian names for 3 years, Henan for 5). "level=years" pairs separated by commas; a level left out keeps
# its default, 0 means no term (valid until revoked). A title typed in by hand has no term unless one is entered.
TITLE_TERM_LEVELS = ("district", "city", "province", "national")
TITLE_TERM_DEFAULT = "district=3,city=3,province=3,national=5"


def _title_terms(text: str) -> dict[str, int]:
    terms = dict.fromkeys(TITLE_TERM_LEVELS, 0)
    for source in (TITLE_TERM_DEFAULT, text):
        for item in filter(None, (part.strip() for part in source.split(","))):
            level, _, years = (piece.strip() for piece in item.partition("="))
            if level not in terms or not years.isdigit() or int(years) > 50:
                raise ImproperlyConfigured(
                    f"WMH_TITLE_TERM_YEARS: “{item}” is not level=years with a level among "
                    f"{', '.join(TITLE_TERM_LEVELS)} and years 0–50 (e.g. {TITLE_TERM_DEFAULT})."
                )
            terms[level] = int(years)
    return terms


WMH_TITLE_TERM_YEARS = _title_terms(os.environ.get("WMH_TITLE_TERM_YEARS", ""))
