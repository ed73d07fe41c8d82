"""Diwan settings: everything that differs between machines comes from the environment (see README)."""

import contextlib
import datetime
import os
from pathlib import Path

import dj_database_url
import fontpkg_ibm_plex_sans_arabic as ibm_plex_sans_arabic
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from archive.env import env_bool, env_int, env_list, env_secret, env_site_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", required=not DEBUG, fallback="diwan-insecure-development-key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The public address of the archive (https://diwan.example.org), which citations give; empty: the address
# the request came to (behind a proxy that is often 127.0.0.1).
DIWAN_SITE_URL = env_site_url("DIWAN_SITE_URL")

# One folder holds the embedded database and the search index, so a second archive can run beside the first.
DATA_DIR = Path(env_str("ARCHIVE_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "archive.articles",
    "archive.entities",
    "archive.search",  # before haystack: its rebuild_index, clear_index and update_index are the ones run
    "haystack",
    "archive.ingest",
    "archive.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the headers too.
    "archive.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _create_private(path: Path) -> None:
    """Create an empty file with mode 0600 unless it exists; SQLite keeps that mode and gives it to the
    -wal and -shm files beside it. The database holds sessions and password hashes."""
    # An existing database keeps the mode its operator gave it.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


_database_url = env_str("DATABASE_URL")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={_database_url.split('@')[-1]!r}: use postgres://... or sqlite://..."
        )
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "diwan.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # 32 KiB pages (set when the file is created): article rows of a few KiB waste less of
                # each page, the file is 5 % smaller than with the 4 KiB default (benchmarks/scale.py).
                "init_command": "PRAGMA page_size=32768; PRAGMA journal_mode=WAL;",
            },
        }
    }
    _create_private(DATABASES["default"]["NAME"])


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Searches read from a replica of the primary when one is given (PostgreSQL engine; router.py). The test
# database of the replica is the primary's own, so tests exercise the route without a second server.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    if (
        not _replica_url.startswith(("postgres://", "postgresql://"))
        or "postgresql" not in (DATABASES["default"]["ENGINE"])
    ):
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL={_replica_url.split('@')[-1]!r}: a replica is a postgres://... URL, "
            "beside a DATABASE_URL=postgres://..."
        )
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["archive.search.router.SearchReplicaRouter"]

# The search engine (archive/search/engine.py): "whoosh", an index on disk beside the database (the
# default), or "postgres", entries inside PostgreSQL written in the same transaction as the article.
# docs/scaling.md says which to run where.
SEARCH_ENGINE = env_str("SEARCH_ENGINE", "whoosh")
if SEARCH_ENGINE == "whoosh":
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "archive.search.whoosh_engine.backend.ArabicWhooshEngine",
            "PATH": str(DATA_DIR / "whoosh"),
        }
    }
elif SEARCH_ENGINE == "postgres":
    if "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "SEARCH_ENGINE=postgres searches inside PostgreSQL: set DATABASE_URL=postgres://..."
        )
    HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "archive.search.postgres_engine.backend.PostgresSearchEngine"}
    }
else:
    raise ImproperlyConfigured(f"SEARCH_ENGINE={SEARCH_ENGINE!r}: use 'whoosh' or 'postgres'.")
# How long the PostgreSQL engine keeps document frequencies (ranking only) before counting them again.
SEARCH_POSTGRES_DF_CACHE_SECONDS = env_int("SEARCH_POSTGRES_DF_CACHE_SECONDS", 60, minimum=0)
# Rank from each term's compiled postings (postgres_engine/postings.py); off: from every matching entry.
SEARCH_POSTGRES_POSTINGS = env_bool("SEARCH_POSTGRES_POSTINGS", True)

# Who writes the search index from the outbox: "thread" (a thread in each web process, the embedded
# default) or "worker" (only `manage.py index_worker`, for deployments with several web processes).
SEARCH_INDEX_WRITER = env_str("SEARCH_INDEX_WRITER", "thread")
if SEARCH_INDEX_WRITER not in ("thread", "worker"):
    raise ImproperlyConfigured(f"SEARCH_INDEX_WRITER={SEARCH_INDEX_WRITER!r}: use 'thread' or 'worker'.")

# What one search may cost (README, Operations): a query beyond these limits is refused with a message
# naming the limit, and a search stops collecting matches after the time budget and says so.
SEARCH_MAX_QUERY_CHARS = env_int("SEARCH_MAX_QUERY_CHARS", 500, minimum=1)
SEARCH_MAX_QUERY_WORDS = env_int("SEARCH_MAX_QUERY_WORDS", 16, minimum=1)
SEARCH_MAX_QUERY_OPERATORS = env_int("SEARCH_MAX_QUERY_OPERATORS", 8, minimum=0)
SEARCH_MAX_PHRASE_WORDS = env_int("SEARCH_MAX_PHRASE_WORDS", 10, minimum=1)
SEARCH_TIME_BUDGET_MS = env_int("SEARCH_TIME_BUDGET_MS", 250, minimum=0)  # 0: no budget
# How the Whoosh engine executes a query: "vector" reads the posting blocks into numpy arrays (the same
# matches, scores and order as Whoosh's searcher; tests/search/test_vector_parity.py), "whoosh" walks them
# with Whoosh's own matchers (the peer benchmarks/scale.py compares with).
SEARCH_WHOOSH_EXECUTOR = env_str("SEARCH_WHOOSH_EXECUTOR", "vector")
if SEARCH_WHOOSH_EXECUTOR not in ("vector", "whoosh"):
    raise ImproperlyConfigured(
        f"SEARCH_WHOOSH_EXECUTOR={SEARCH_WHOOSH_EXECUTOR!r}: use 'vector' or 'whoosh'."
    )
# Memory (MB) the index writer may fill before it writes a segment, when building and updating the index.
SEARCH_WRITER_LIMITMB = env_int("SEARCH_WRITER_LIMITMB", 128, minimum=1)
# Most articles in one segment of a one-process rebuild, which holds a segment's postings in memory (about
# 31 kB per article at peak: 40k stay under 1.5 GB). A larger archive is built as several equal segments.
SEARCH_BUILD_SEGMENT_ARTICLES = env_int("SEARCH_BUILD_SEGMENT_ARTICLES", 40_000, minimum=1)
# A term with at least this many postings in a segment (four of Whoosh's blocks) has them kept beside the
# segment in a form cheap to read; lower costs index size (1024: about 3 % more on the 31.5k corpus, the
# commonest words, which cost most to decode). See whoosh_engine/posting_store.py.
SEARCH_POSTING_STORE_MIN_POSTINGS = env_int("SEARCH_POSTING_STORE_MIN_POSTINGS", 1024, minimum=1)
# How long a process may reuse its copy of the spelling table (checked against a stamp on every use); 0: off.
SEARCH_NAMES_CACHE_SECONDS = env_int("SEARCH_NAMES_CACHE_SECONDS", 60, minimum=0)
# Most rows one export (CSV or JSON, of articles or statements) holds; never more than the search hands out.
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 10_000, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "archive" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The Arabic typeface comes from a PyPI package and is served from its installed folder (never committed).
STATICFILES_DIRS = [BASE_DIR / "static", ("fonts/ibm-plex-sans-arabic", ibm_plex_sans_arabic.ROOT / "files")]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request until collectstatic has run
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG  # development renders {% static %} without a collectstatic manifest
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The login throttle (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is refused for LOGIN_LOCKOUT_MINUTES; a successful login clears its count. Behind a
# proxy every request comes from the proxy's address, and the lock then falls on the user name alone.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured(
        "DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_LOCKOUT_MINUTES must be whole numbers of at least 1."
    )
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.web.views.lockout.login_locked_out"

# Editors are the only users who log in: a login whose `next` is unsafe (or absent) lands on the admin.
LOGIN_REDIRECT_URL = "admin:index"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # other sites never learn which searches or articles were open
# Everything from this site, nothing inline, no plug-ins, no framing (archive.web.security sends these).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Browser features no page of the archive uses, refused for the page and anything it could embed.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Behind an HTTPS-terminating proxy (DJANGO_HTTPS=1): secure cookies, redirects to HTTPS and HSTS.
HTTPS = env_bool("DJANGO_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# HSTS defaults to what the browsers' preload list asks for (a year, subdomains included); a deployment
# trying HTTPS out, or with plain-HTTP subdomains, lowers or turns these off in the environment.
ONE_YEAR_SECONDS = 365 * 24 * 3600
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", ONE_YEAR_SECONDS if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
if SECURE_HSTS_PRELOAD and (SECURE_HSTS_SECONDS < ONE_YEAR_SECONDS or not SECURE_HSTS_INCLUDE_SUBDOMAINS):
    raise ImproperlyConfigured(
        "DJANGO_HSTS_PRELOAD=1 needs DJANGO_HSTS_SECONDS of at least 31536000 and "
        "DJANGO_HSTS_INCLUDE_SUBDOMAINS=1 (the preload list refuses anything less), "
        "or DJANGO_HSTS_PRELOAD=0."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
