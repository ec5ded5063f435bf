"""Django settings for Keten's chain dossier server.

Embedded default: SQLite in ``var/keten.sqlite3`` (ignored by git). ``KETEN_DATABASE_URL``
(``postgresql://user:password@host:port/name``) selects PostgreSQL, as in CI and the
benchmarks. No setting reaches the network: static files (htmx included) are served locally.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("KETEN_VAR_DIR", REPO_DIR / "var"))

# A demo and test server on loopback; a real deployment sets KETEN_SECRET_KEY and KETEN_DEBUG.
SECRET_KEY = os.environ.get("KETEN_SECRET_KEY", "keten-demo-not-secret-change-me")
DEBUG = os.environ.get("KETEN_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "keten.server.organisations",
    "keten.server.dossiers",
    "keten.server.audit",
    "keten.server.authn",
    "keten.server.jobs",
    "keten.server.workqueue",
    "keten.server.notifications",
    "keten.server.exchange",
    "keten.server.letters",
    "keten.server.solidarity",
    "keten.server.coi",
    "keten.server.cooperation",
    "keten.server.ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keten.server.ui.language.DutchFirstMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "keten.server.authn.session.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "keten.server.api.middleware.ApiVersionMiddleware",
]

ROOT_URLCONF = "keten.server.urls"
WSGI_APPLICATION = "keten.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "keten.server.ui.context.actor",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("KETEN_DATABASE_URL")
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("postgresql", "postgres"):
            raise ValueError(f"KETEN_DATABASE_URL: unsupported scheme {parsed.scheme!r}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/"),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # Only the hot reads bind parameters on the server and prepare them (the ORM binds
            # on the client and never prepares); their plans do not depend on the values, and
            # a custom plan per execution cost more planning than running
            # (keten.server.services.sql). Prepared statements live in a server session:
            # behind a pooler in transaction mode, set KETEN_PG_PREPARE=0.
            "OPTIONS": {
                "options": "-c plan_cache_mode=force_generic_plan",
                "prepare_threshold": (
                    None if os.environ.get("KETEN_PG_PREPARE", "1") == "0" else 5
                ),
            },
        }
    path = Path(os.environ.get("KETEN_SQLITE_PATH", VAR_DIR / "keten.sqlite3"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Every request writes the audit log: take the write lock at BEGIN so concurrent
        # requests queue instead of failing with 'database is locked' half-way.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where a password is set through Django (`keten server manage changepassword USER`): at least
# twelve characters, not a common one, not like the user name (OWASP ASVS 4.0 V2.1.1, V2.1.7).
AUTH_PASSWORD_VALIDATORS: list[dict[str, object]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login"

# Authentication (docs/security.md). Passwords: Django's default hasher, PBKDF2-SHA256.
# The password check is throttled where it happens, in the backend: after
# LOGIN_ACCOUNT_FAILURES failures on one user name within LOGIN_WINDOW_SECONDS, or
# LOGIN_ADDRESS_FAILURES from one address, every attempt on it is refused for
# LOGIN_LOCK_SECONDS, the right password too (keten.server.services.authentication).
AUTHENTICATION_BACKENDS = ["keten.server.authn.backend.ThrottledModelBackend"]
LOGIN_ACCOUNT_FAILURES = int(os.environ.get("KETEN_LOGIN_ACCOUNT_FAILURES", "5"))
LOGIN_ADDRESS_FAILURES = int(os.environ.get("KETEN_LOGIN_ADDRESS_FAILURES", "20"))
LOGIN_WINDOW_SECONDS = float(os.environ.get("KETEN_LOGIN_WINDOW_SECONDS", "900"))
LOGIN_LOCK_SECONDS = float(os.environ.get("KETEN_LOGIN_LOCK_SECONDS", "900"))

# A session lasts one working day from login, however busy (keten.server.authn.session), and
# its cookie goes when the browser closes. Django gives a new session id at login.
SESSION_COOKIE_AGE = round(float(os.environ.get("KETEN_SESSION_HOURS", "9")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie stays readable by scripts, as Django advises: it guards no session, and the
# pages send the token from the form or the page's htmx header, never from the cookie.
CSRF_COOKIE_SAMESITE = "Lax"
# Behind TLS set KETEN_SECURE_COOKIES=1, so that no cookie ever travels over plain http; the
# demo and the tests run on plain http on loopback, where a Secure cookie would not come back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("KETEN_SECURE_COOKIES", "0") == "1"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The interface's forms: a few kilobytes each; the API reads its bodies itself, bounded by
# keten.server.services.bounds.MAX_BODY_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
APPEND_SLASH = False  # Dutch API Design Rules: no trailing slashes

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "keten.server.api.auth.KetenTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["keten.server.api.rendering.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["keten.server.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "keten.server.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Keten chain dossier API",
    "DESCRIPTION": (
        "One dossier per person for the Dutch migration chain. Every response carries the "
        "API-Version header; errors are application/problem+json naming field and rule; "
        "writes need If-Match with the current version."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The contract is public; the data behind it is not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # Enums named where two choice sets share a field name ("kind"): the location kinds.
    "ENUM_NAME_OVERRIDES": {
        "LocationKindEnum": "keten.chain.locations.LOCATION_KIND_IDS",
        "CoiDocumentKindEnum": "keten.server.coi.kinds.DOCUMENT_KIND_IDS",
        "CoiLanguageEnum": "keten.server.coi.kinds.LANGUAGE_IDS",
        "LetterLanguageEnum": "keten.server.letters.compose.LANGUAGES",
        "CoiStatusEnum": "keten.server.coi.kinds.STATUS_IDS",
        "ReturnOperationKindEnum": "keten.server.services.return_operations.KIND_IDS",
        "JointRequestKindEnum": "keten.server.services.joint_requests.KIND_IDS",
        "JointRequestStatusEnum": "keten.server.services.joint_requests.ORDER",
        "JointRequestNextStatusEnum": "keten.server.services.joint_requests.NEXT",
        "EscortServiceEnum": "keten.server.services.return_escorts.SERVICE_IDS",
    },
    # drf-spectacular's own hook (enums as components), then what holds for every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "keten.server.api.schema.whole_document",
    ],
}

API_VERSION = "1.0.0"
# How long an API token's user, organisation and role are remembered (keten.server.api.auth).
TOKEN_CACHE_SECONDS = float(os.environ.get("KETEN_TOKEN_CACHE_SECONDS", "30"))
# An API token is refused this many days after it was created (keten.server.authn.tokens).
TOKEN_MAX_AGE_DAYS = float(os.environ.get("KETEN_TOKEN_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# E-mail (the daily digest, `keten server digest`): printed to the console unless configured.
# KETEN_EMAIL_FILE_PATH writes each message to a file in that directory (Django's file backend);
# KETEN_EMAIL_HOST sends by SMTP (with KETEN_EMAIL_PORT, KETEN_EMAIL_HOST_USER,
# KETEN_EMAIL_HOST_PASSWORD, KETEN_EMAIL_USE_TLS=1 or KETEN_EMAIL_USE_SSL=1). docs/workday.md.
if os.environ.get("KETEN_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KETEN_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("KETEN_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KETEN_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KETEN_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("KETEN_EMAIL_USE_TLS", "0") == "1"
    EMAIL_USE_SSL = os.environ.get("KETEN_EMAIL_USE_SSL", "0") == "1"
    EMAIL_TIMEOUT = 30
elif os.environ.get("KETEN_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["KETEN_EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("KETEN_EMAIL_FROM", "Keten <keten@localhost>")
# Where the server is reached from outside: the links in e-mails and webhook payloads.
KETEN_PUBLIC_URL = os.environ.get("KETEN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# The exchange with partner organisations abroad (docs/exchange.md): this instance's code in
# it, the Ed25519 key that signs its messages (a file, never the database), how far a
# delivery's time may lie from ours, and the waits between attempts while a partner is down
# (doubling from the base up to the maximum; a message is tried until its receipt arrives).
EXCHANGE_ORGANISATION = os.environ.get("KETEN_EXCHANGE_ORG", "NL-IND-1F")
# The country whose organisations run this instance (policy.yaml organisations' `country`):
# another country's officers act in its exchange only where accredited. By default the
# country prefix of the instance's code ("BE-DVZ-BO" -> BE).
EXCHANGE_COUNTRY = os.environ.get("KETEN_EXCHANGE_COUNTRY") or (
    EXCHANGE_ORGANISATION[:2]
    if len(EXCHANGE_ORGANISATION) > 2
    and EXCHANGE_ORGANISATION[2] == "-"
    and EXCHANGE_ORGANISATION[:2].isalpha()
    and EXCHANGE_ORGANISATION[:2].isupper()
    else "NL"
)
EXCHANGE_SIGNING_KEY = Path(
    os.environ.get("KETEN_EXCHANGE_SIGNING_KEY", VAR_DIR / "exchange" / "signing.key")
)
EXCHANGE_WINDOW_SECONDS = float(os.environ.get("KETEN_EXCHANGE_WINDOW_SECONDS", "300"))
EXCHANGE_BACKOFF_SECONDS = float(os.environ.get("KETEN_EXCHANGE_BACKOFF_SECONDS", "5"))
EXCHANGE_MAX_BACKOFF_SECONDS = float(os.environ.get("KETEN_EXCHANGE_MAX_BACKOFF_SECONDS", "3600"))
EXCHANGE_TIMEOUT_SECONDS = float(os.environ.get("KETEN_EXCHANGE_TIMEOUT_SECONDS", "10"))
