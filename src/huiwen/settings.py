"""Django settings for huiwen. Every value comes from huiwen.config (documented in docs/settings.md)."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
import django_stubs_ext

from huiwen.config import value
from huiwen.ops import logs as ops_logs

# Django's generic classes (ModelAdmin, ModelForm, Feed, Sitemap, ...) are generic only in the
# stubs: this gives them a no-op __class_getitem__ so `admin.ModelAdmin[Notice]` also runs
# (docs/architecture.md, "Types").
django_stubs_ext.monkeypatch()

DATA_DIR = Path(value("HUIWEN_DATA_DIR")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured: str = value("HUIWEN_SECRET_KEY")
    if configured:
        return configured
    # Generated once per installation and kept beside the database, so sessions survive
    # restarts without anyone having to invent a key.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = value("HUIWEN_DEBUG")
ALLOWED_HOSTS = value("HUIWEN_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = value("HUIWEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before django.contrib.auth: its createsuperuser/changepassword, audited (issue 18)
    "huiwen.authcommands",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "huiwen.newsroom",
    "huiwen.collect",
    "huiwen.takedown",
    "huiwen.publish",
    "huey.contrib.djhuey",
    "huiwen.reader",
    "huiwen.search",  # issue 5: search and 相关阅读
    "huiwen.backoffice",  # issue 7: the back office (review queue, roles, screening, channels, sources)
    "axes",  # issue 7: login throttling
    "ninja",  # issue 8: django-ninja, for the JSON API's interactive docs from local static files
    "huiwen.ops",  # issue 19: health, readiness, metrics, backup, deployment files
    "huiwen.demo_site",  # issue 14: `huiwen demo` and its sample source site
    "csp",  # issue 13: Content-Security-Policy (its system checks)
]

MIDDLEWARE = [
    # Outermost: Content-Length from the final body, after every middleware that changes it
    # (the Traditional edition lengthens whole pages; see publish/length.py).
    "huiwen.publish.length.ContentLengthMiddleware",
    # issue 19: /healthz, /readyz and /metrics answered before anything else; every request timed.
    "huiwen.ops.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # issue 13: outside the page cache, so cached pages get the policy as they leave too.
    "huiwen.ops.csp.PolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Answers If-None-Match / If-Modified-Since with 304 for pages, feeds and sitemaps.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole reader pages, invalidated by dependency tags (outside the Traditional edition, so
    # the converted page is what is kept).
    "huiwen.publish.pagecache.PageCacheMiddleware",
    "huiwen.reader.traditional.TraditionalEditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # issue 7: answers locked-out logins; last, as django-axes asks
]

ROOT_URLCONF = "huiwen.urls"
WSGI_APPLICATION = "huiwen.wsgi.application"

TEMPLATES = [
    {
        # Reader-facing pages (the templates under <app>/jinja2/), found first: see huiwen/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "huiwen.jinja.environment",
            "context_processors": ["huiwen.reader.context.site"],
            "auto_reload": DEBUG,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huiwen.reader.context.site",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url: str = value("HUIWEN_DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        return {"default": dict(database)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "huiwen.sqlite3",
            # Kept open between requests: opening SQLite and running the PRAGMAs below on every
            # request cost an eighth of an uncached page (measured with py-spy under wrk).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers keep reading while the collector writes; busy_timeout waits
                # for a writer instead of failing with "database is locked". The first 256 MB of
                # the file are read through a memory map (the OS page cache, shared by every
                # process, instead of a read() per page: ingest about 4 % faster), and sorts
                # and temporary indexes stay in memory.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; "
                "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }


DATABASES = _databases()
# issue 19: read replicas for reader pages (huiwen.ops.routers).
for _number, _url in enumerate(value("HUIWEN_DATABASE_REPLICAS"), start=1):
    DATABASES[f"replica{_number}"] = {**dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True),
                                      "TEST": {"MIRROR": "default"}}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["huiwen.ops.routers.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("huiwen.ops.middleware.OperationsMiddleware") + 1,
                      "huiwen.ops.routers.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# issue 7: login throttling (django-axes) in front of the ordinary backend, per user name and address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = value("HUIWEN_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = value("HUIWEN_LOGIN_COOLOFF_MINUTES") / 60  # hours
# issue 13: three counts (account+address, address, account on unknown browsers) decided by our handler
# (backoffice.login). The parameters are what a success resets: that account's failures from that
# address (not the address's failures at other accounts: a guesser could clear them with an account of
# its own).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "huiwen.backoffice.login.ThrottleHandler"
LOGIN_LIMITS = {"PAIR": value("HUIWEN_LOGIN_FAILURE_LIMIT"), "ADDRESS": value("HUIWEN_LOGIN_ADDRESS_FAILURE_LIMIT"),
                "ACCOUNT": value("HUIWEN_LOGIN_ACCOUNT_FAILURE_LIMIT")}
LOGIN_DEVICE_DAYS = value("HUIWEN_LOGIN_DEVICE_DAYS")
AXES_RESET_ON_SUCCESS = True
SESSION_COOKIE_AGE = value("HUIWEN_SESSION_HOURS") * 3600  # issue 13: a working day, not 14 days
AXES_LOCKOUT_TEMPLATE = "backoffice/locked.html"
AXES_CLIENT_IP_CALLABLE = "huiwen.proxy.axes_client_address"  # issue 13: X-Real-IP from our proxies only
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:queue"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "huiwen.backoffice.validators.VarietyValidator"},  # issue 7
    {"NAME": "huiwen.backoffice.validators.ContextWordsValidator"},  # issue 7
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = value("HUIWEN_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # No manifest while developing: templates work before collectstatic has run.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Security. HUIWEN_HTTPS turns on everything `manage.py check --deploy` asks for.
HTTPS = value("HUIWEN_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# issue 13: only our own files may run or style a page. Nothing is inline: no <script> with code
# (the JSON-LD blocks are data, which a policy does not govern), no on* attributes, no style
# attributes; images are ours (collected ones are localised) or data: URIs (the API docs' icons).
# The generated nginx configuration sends the same header on the files nginx serves.
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
        "img-src": ["'self'", "data:"], "font-src": ["'self'"], "connect-src": ["'self'"],
        "object-src": ["'none'"], "base-uri": ["'self'"], "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = value("HUIWEN_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# issue 19: plain lines or JSON lines (HUIWEN_LOG_FORMAT), server errors logged with their tracebacks.
LOGGING = ops_logs.config(value("HUIWEN_LOG_FORMAT"), value("HUIWEN_LOG_LEVEL"))

# huiwen's own settings, read by the apps.
HUIWEN = {
    "SITE_NAME": value("HUIWEN_SITE_NAME"),
    "CONTACT_EMAIL": value("HUIWEN_CONTACT_EMAIL"),
    "CANONICAL": value("HUIWEN_CANONICAL"),
    "PAGE_SIZE": value("HUIWEN_PAGE_SIZE"),
    "HOME_PER_CHANNEL": value("HUIWEN_HOME_PER_CHANNEL"),
    "FEED_SIZE": value("HUIWEN_FEED_SIZE"),
    "RELATED_COUNT": value("HUIWEN_RELATED_COUNT"),
    "SEARCH_BACKEND": value("HUIWEN_SEARCH_BACKEND"),  # issue 5
    "SEARCH_PAGE_SIZE": value("HUIWEN_SEARCH_PAGE_SIZE"),  # issue 5
    "SEARCH_ENGINE_LOG_DAYS": value("HUIWEN_SEARCH_ENGINE_LOG_DAYS"),  # issue 19
    "SITE_URL": value("HUIWEN_SITE_URL").rstrip("/"),
    "NEWS_LICENCE": value("HUIWEN_NEWS_LICENCE"),  # issue 14: footer registrations
    "ICP_BEIAN": value("HUIWEN_ICP_BEIAN"),
    "PSB_BEIAN": value("HUIWEN_PSB_BEIAN"),
    "DESK_PAGE_SIZE": value("HUIWEN_DESK_PAGE_SIZE"),  # issue 7
    "API_PAGE_SIZE": value("HUIWEN_API_PAGE_SIZE"),  # issue 8: the JSON API (huiwen.api)
    "API_MAX_PAGE_SIZE": value("HUIWEN_API_MAX_PAGE_SIZE"),  # issue 8
    "API_MAX_AGE": value("HUIWEN_API_MAX_AGE"),  # issue 8
}

# The collector (huiwen.collect).
COLLECT = {
    "CONTACT_URL": value("HUIWEN_COLLECTOR_CONTACT_URL")
    or value("HUIWEN_SITE_URL").rstrip("/") + "/about/collector/",
    "MAX_BYTES": value("HUIWEN_FETCH_MAX_BYTES"),
    "TIMEOUT": value("HUIWEN_FETCH_TIMEOUT"),
    "DEADLINE": value("HUIWEN_FETCH_DEADLINE"),
    "RETRIES": value("HUIWEN_FETCH_RETRIES"),
    "BACKOFF": value("HUIWEN_FETCH_BACKOFF"),
    "CLAIM_TTL": value("HUIWEN_CLAIM_TTL"),
    "BATCH": max(1, value("HUIWEN_COLLECT_BATCH")),
    "BATCH_SECONDS": value("HUIWEN_COLLECT_BATCH_SECONDS"),
    "ARCHIVE_DIR": DATA_DIR / "archive",
}

# Takedown procedure (huiwen.takedown).
TAKEDOWN = {
    "MODE": value("HUIWEN_TAKEDOWN_MODE"),
    "RESTORE_DAYS": value("HUIWEN_TAKEDOWN_RESTORE_DAYS"),
    "DMCA_BUSINESS_DAYS": min(14, max(10, value("HUIWEN_TAKEDOWN_DMCA_BUSINESS_DAYS"))),  # the statute's range
    "MAX_UPLOAD": value("HUIWEN_TAKEDOWN_MAX_UPLOAD"),
    "MAX_FILES": value("HUIWEN_TAKEDOWN_MAX_FILES"),
    "RATE_PER_ADDRESS": value("HUIWEN_TAKEDOWN_RATE_PER_ADDRESS"),
    "RATE_PER_EMAIL": value("HUIWEN_TAKEDOWN_RATE_PER_EMAIL"),
    "URLS_PER_HOUR": value("HUIWEN_TAKEDOWN_URLS_PER_HOUR"),  # issue 13
    "REVIEW_ARTICLES": value("HUIWEN_TAKEDOWN_REVIEW_ARTICLES"),  # issue 13
    "REVIEW_WORKS": value("HUIWEN_TAKEDOWN_REVIEW_WORKS"),  # issue 13
    "REVIEW_NEW_CLAIMANTS": value("HUIWEN_TAKEDOWN_REVIEW_NEW_CLAIMANTS"),  # issue 13
    "BATCH": max(1, value("HUIWEN_TAKEDOWN_BATCH")),  # issue 13
    "STAGING_HOURS": value("HUIWEN_TAKEDOWN_STAGING_HOURS"),  # issue 13
    "STAGING_PER_ADDRESS": value("HUIWEN_TAKEDOWN_STAGING_PER_ADDRESS"),  # issue 13
    "STAGING_TOTAL": value("HUIWEN_TAKEDOWN_STAGING_TOTAL"),  # issue 13
    "PRIVATE_DIR": DATA_DIR / "private",  # evidence: never under MEDIA_ROOT, never served publicly
}

# issue 13: uploads are parsed into memory only (takedown.uploads.InMemoryUploads): nothing reaches the
# disk before a form is judged, and a request carries at most as many files as a notice may.
FILE_UPLOAD_HANDLERS = ["huiwen.takedown.uploads.InMemoryUploads"]
DATA_UPLOAD_MAX_NUMBER_FILES = TAKEDOWN["MAX_FILES"]

# Mail: forwarding records are kept either way; without SMTP, messages land in an outbox folder.
DEFAULT_FROM_EMAIL = SERVER_EMAIL = value("HUIWEN_MAIL_FROM")
_smtp = urlsplit(value("HUIWEN_SMTP_URL")) if value("HUIWEN_SMTP_URL") else None
if _smtp:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _smtp.hostname or "localhost", _smtp.port or 25
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = unquote(_smtp.username or ""), unquote(_smtp.password or "")
    EMAIL_USE_TLS = "tls=1" in (_smtp.query or "")
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"

# Caches. Embedded default: whole pages in each process's memory (fast; never stale, because
# the tag versions that validate them are shared: a table, newsroom.models.TagVersion), and
# rate-limit counters in the database cache (shared by every worker process). At scale pages,
# tag versions and counters in Redis, with short timeouts so an outage means "bypass the
# cache", not "hang".
_REDIS_CACHE_URL = value("HUIWEN_REDIS_URL")
if _REDIS_CACHE_URL:
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_CACHE_URL,
              "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    CACHES = {"default": {**_redis, "KEY_PREFIX": "d"}, "tags": {**_redis, "KEY_PREFIX": "t", "TIMEOUT": None},
              "pages": {**_redis, "KEY_PREFIX": "p"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "huiwen_cache",
                    "OPTIONS": {"MAX_ENTRIES": 100_000}},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "huiwen-pages",
                  "OPTIONS": {"MAX_ENTRIES": 5_000}},
    }
PROXY_ADDRESSES = frozenset(value("HUIWEN_PROXY_ADDRESSES"))
PAGE_CACHE = {"ENABLED": value("HUIWEN_PAGE_CACHE"), "TTL": value("HUIWEN_PAGE_CACHE_TTL")}
TRADITIONAL_MEMO_CHARS = value("HUIWEN_TRADITIONAL_MEMO_CHARS")
PUBLISH = {
    "OUT_DIR": Path(value("HUIWEN_PUBLISH_DIR") or DATA_DIR / "site"),
    "FIRST_LIST_PAGES": max(1, value("HUIWEN_PUBLISH_FIRST_LIST_PAGES")),  # issue 19: lists at a million
    "STALE_PAGES_PER_RUN": max(0, value("HUIWEN_PUBLISH_STALE_PAGES_PER_RUN")),
}

# Tasks: Huey, on SQLite by default (nothing to start), on Redis when HUIWEN_REDIS_URL is set.
REDIS_URL = value("HUIWEN_REDIS_URL")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "huiwen", "url": REDIS_URL, "immediate": False,
            "consumer": {"workers": 2, "worker_type": "thread"}}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "huiwen", "filename": str(DATA_DIR / "tasks.sqlite3"),
            "immediate": False, "consumer": {"workers": 2, "worker_type": "thread"}}

# issue 19: operations (huiwen.ops): who may read /metrics, what /readyz demands.
OPS = {
    "METRICS_ALLOW": value("HUIWEN_METRICS_ALLOW"),
    "METRICS_TOKEN": value("HUIWEN_METRICS_TOKEN"),
    "READY_MIN_FREE_MB": value("HUIWEN_READY_MIN_FREE_MB"),
    "READY_MAX_QUEUE_LAG": value("HUIWEN_READY_MAX_QUEUE_LAG"),
}
