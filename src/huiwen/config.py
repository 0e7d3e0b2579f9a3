"""Every setting huiwen reads from the environment, declared once.

Settings are data (the habit Datasette keeps): each one has a name, a default and a help text,
and docs/settings.md is checked against this list by tests/test_settings_doc.py, so a setting
cannot exist without being documented. Django's settings module reads values only through
`value()`; nothing else in the project touches `os.environ` for configuration.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _int(raw: str) -> int:
    return int(raw.strip())


def _float(raw: str) -> float:
    return float(raw.strip())


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {raw!r}")
        return raw

    return parse


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("HUIWEN_DATA_DIR", "./var",
            "Folder for the SQLite database, the secret key file, collected static files, media "
            "and archives. Created when missing."),
    Setting("HUIWEN_DATABASE_URL", "",
            "Database URL (for example postgres://user:pass@host:5432/huiwen). Empty: SQLite in WAL "
            "mode at $HUIWEN_DATA_DIR/huiwen.sqlite3."),
    Setting("HUIWEN_SECRET_KEY", "",
            "Django's secret key. Empty: a random key is generated once and kept in "
            "$HUIWEN_DATA_DIR/secret_key (mode 0600)."),
    Setting("HUIWEN_DEBUG", "0", "Django debug mode. Never on in production.", _bool),
    Setting("HUIWEN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]",
            "Comma-separated host names the site answers to.", _list),
    Setting("HUIWEN_CSRF_TRUSTED_ORIGINS", "",
            "Comma-separated origins (scheme and host) trusted for unsafe requests behind a proxy.",
            _list),
    Setting("HUIWEN_HTTPS", "0",
            "The site is served over HTTPS: redirect HTTP, send HSTS, mark cookies Secure, trust "
            "X-Forwarded-Proto from the proxy. Turn on in production.", _bool),
    Setting("HUIWEN_HSTS_SECONDS", "31536000",
            "Max-age of the Strict-Transport-Security header when HUIWEN_HTTPS is on.", _int),
    Setting("HUIWEN_SITE_NAME", "汇闻", "The portal's name, shown in every page and feed."),
    Setting("HUIWEN_CONTACT_EMAIL", "",
            "Address for rights holders and crawler operators, shown on /takedown/ and sent in the "
            "collector's User-Agent."),
    Setting("HUIWEN_CANONICAL", "original",
            "Where an article page's canonical link points: 'original' (the source's URL, as for "
            "syndicated content) or 'self' (our own URL).", _choice("original", "self")),
    Setting("HUIWEN_TIME_ZONE", "Asia/Shanghai", "Time zone in which times are shown."),
    Setting("HUIWEN_PAGE_SIZE", "20", "Articles per page on channel pages.", _int),
    Setting("HUIWEN_HOME_PER_CHANNEL", "8", "Articles per top-level channel on the home page.", _int),
    Setting("HUIWEN_FEED_SIZE", "30", "Items per RSS/Atom feed.", _int),
    Setting("HUIWEN_RELATED_COUNT", "10", "Items in an article's 相关阅读 block.", _int),
    Setting("HUIWEN_SEARCH_BACKEND", "",
            "Dotted path of the search backend class. Empty: chosen by database engine, "
            "huiwen.search.backends.tantivy_engine.TantivyBackend (FTS5, the search page ranked by a "
            "tantivy index in the data folder's search-engine/) on SQLite, "
            "huiwen.search.backends.tantivy_postgres.PostgresTantivyBackend (tsvector + GIN, the search page "
            "ranked by a tantivy index in each reader host's data folder, kept by `huiwen search_index --engine "
            "--follow`) on PostgreSQL. huiwen.search.backends.sqlite.SqliteBackend is FTS5 alone, "
            "huiwen.search.backends.postgres.PostgresBackend the GIN index alone."),
    Setting("HUIWEN_SEARCH_ENGINE_LOG_DAYS", "7",
            "PostgreSQL: days the ranking engines' change log is kept. A reader host whose engine is further "
            "behind rebuilds it from the stored vectors.", _int),
    Setting("HUIWEN_SEARCH_PAGE_SIZE", "20", "Results per page on /search.", _int),
    Setting("HUIWEN_SITE_URL", "http://127.0.0.1:8000",
            "The portal's public address (scheme and host), for links made outside a request: the "
            "collector's User-Agent, static publishing, command output."),
    Setting("HUIWEN_COLLECTOR_CONTACT_URL", "",
            "Where site operators learn about huiwen's collector, sent in its User-Agent. Empty: "
            "$HUIWEN_SITE_URL/about/collector/."),
    Setting("HUIWEN_FETCH_MAX_BYTES", "10485760",
            "Largest response body the collector accepts, after decompression (bytes).", _int),
    Setting("HUIWEN_FETCH_TIMEOUT", "15", "Seconds to wait for a connection or for the next bytes.", _int),
    Setting("HUIWEN_FETCH_DEADLINE", "60", "Seconds one response may take in all (slow-drip servers).", _int),
    Setting("HUIWEN_FETCH_RETRIES", "3", "Attempts per URL on timeouts, 429 and 5xx, with exponential backoff.", _int),
    Setting("HUIWEN_FETCH_BACKOFF", "1.0", "First backoff delay in seconds; doubled at every retry.", _float),
    Setting("HUIWEN_COLLECT_BATCH", "200",
            "Most pages the collector stores in one transaction (with their search indexing and "
            "相关阅读 done together). A crash loses no more than one batch, which the next run collects "
            "again. Larger batches share more reads (candidate profiles, document frequencies, list "
            "sizes): in bench/ingest.py 50 gives about 180 articles/s, 100 about 205-213, 200 about "
            "212-219. Live collection rarely fills a batch: HUIWEN_COLLECT_BATCH_SECONDS ends it "
            "first; bulk imports (WARC, saved pages) do, and then a batch holds SQLite's write lock "
            "for about a second.", _int),
    Setting("HUIWEN_COLLECT_BATCH_SECONDS", "2.0",
            "Longest the collector gathers pages before storing what it has, so slow sites still show "
            "progress and no transaction waits on the network.", _float),
    Setting("HUIWEN_CLAIM_TTL", "600",
            "Seconds after which a URL claimed by a worker that vanished may be claimed again.", _int),
    Setting("HUIWEN_REDIS_URL", "",
            "Redis for the task queue at scale (redis://host:6379/0). Empty: tasks queue in SQLite "
            "under $HUIWEN_DATA_DIR and `huiwen worker` runs them, nothing else to start."),
    Setting("HUIWEN_TAKEDOWN_MODE", "immediate",
            "What a complete takedown notice does: 'immediate' withdraws the named articles (and every "
            "copy of their story) at once; 'review' waits for a compliance officer.",
            _choice("immediate", "review")),
    Setting("HUIWEN_TAKEDOWN_RESTORE_DAYS", "15",
            "Days after a counter-notice is forwarded before withdrawn articles are restored, unless the "
            "rights holder reports a complaint or suit (民法典 Art. 1196; 电子商务法 Art. 43).", _int),
    Setting("HUIWEN_TAKEDOWN_DMCA_BUSINESS_DAYS", "10",
            "Business days before restoring after a DMCA counter-notice (17 USC 512(g): 10 to 14).",
            _int),
    Setting("HUIWEN_TAKEDOWN_MAX_UPLOAD", "5242880", "Largest evidence file accepted (bytes).", _int),
    Setting("HUIWEN_TAKEDOWN_MAX_FILES", "5", "Most evidence files per notice.", _int),
    Setting("HUIWEN_TAKEDOWN_RATE_PER_ADDRESS", "5", "Notices accepted per hour from one IP address.", _int),
    Setting("HUIWEN_TAKEDOWN_RATE_PER_EMAIL", "3",
            "Notices accepted per hour from one claimant (its e-mail folded: case, +tags, Gmail's dots).", _int),
    # issue 13: notices that cannot take the portal down
    Setting("HUIWEN_TAKEDOWN_URLS_PER_HOUR", "100",
            "URLs one address, and one claimant, may name per hour, over all its notices.", _int),
    Setting("HUIWEN_TAKEDOWN_REVIEW_ARTICLES", "20",
            "A notice reaching more articles than this (the named ones and every copy of their stories) "
            "waits for the compliance officer instead of withdrawing at once.", _int),
    Setting("HUIWEN_TAKEDOWN_REVIEW_WORKS", "5",
            "A notice naming more different works (stories) than this waits for the compliance officer.", _int),
    Setting("HUIWEN_TAKEDOWN_REVIEW_NEW_CLAIMANTS", "1",
            "A notice from a claimant with no earlier notice accepted waits for the compliance officer.", _bool),
    Setting("HUIWEN_TAKEDOWN_BATCH", "100",
            "Articles withdrawn or restored per transaction; each batch leaves every surface as it commits "
            "and holds SQLite's write lock for a fraction of a second (bench/takedown.py).", _int),
    Setting("HUIWEN_TAKEDOWN_STAGING_HOURS", "6",
            "Hours an evidence file sent with a form that had errors is kept for the sender to resubmit.", _int),
    Setting("HUIWEN_TAKEDOWN_STAGING_PER_ADDRESS", "26214400",
            "Most bytes of such staged evidence kept for one address.", _int),
    Setting("HUIWEN_TAKEDOWN_STAGING_TOTAL", "524288000",
            "Most bytes of staged evidence kept in all; past it, files are not staged (the sender "
            "chooses them again).", _int),
    Setting("HUIWEN_SMTP_URL", "",
            "Outgoing mail server for forwarding notices (smtp://user:password@host:587?tls=1). Empty: "
            "messages are written to $HUIWEN_DATA_DIR/outbox/ and recorded, nothing to start."),
    Setting("HUIWEN_MAIL_FROM", "huiwen@localhost", "Sender address of the mail huiwen sends."),
    # issue 7: the back office
    Setting("HUIWEN_LOGIN_FAILURE_LIMIT", "5",
            "Failed logins from one address for one user name before that login is locked.", _int),
    Setting("HUIWEN_LOGIN_COOLOFF_MINUTES", "15", "Minutes a locked login stays locked.", _int),
    # issue 13: throttling across addresses and accounts, without locking a real user out
    Setting("HUIWEN_LOGIN_ADDRESS_FAILURE_LIMIT", "20",
            "Failed logins from one address, whatever the user names, before the address is locked.", _int),
    Setting("HUIWEN_LOGIN_ACCOUNT_FAILURE_LIMIT", "10",
            "Failed logins for one user name, from any addresses, before it is locked on browsers it has "
            "never signed in from (browsers it has signed in from are not locked; an unlock link is mailed "
            "on request).", _int),
    Setting("HUIWEN_LOGIN_DEVICE_DAYS", "90",
            "Days a browser stays known to an account after signing in (the signed cookie that exempts it "
            "from the account-wide lock).", _int),
    Setting("HUIWEN_SESSION_HOURS", "12",
            "Hours a back-office login lasts (Django's default was 14 days).", _int),
    Setting("HUIWEN_DESK_PAGE_SIZE", "50", "Articles per page in the back office's review queue.", _int),
    Setting("HUIWEN_PAGE_CACHE", "1", "Keep whole reader pages in the page cache (invalidated by dependency tags).",
            _bool),
    Setting("HUIWEN_PAGE_CACHE_TTL", "3600", "Longest a cached page is kept, in seconds, even if nothing changed.",
            _int),
    Setting("HUIWEN_TRADITIONAL_MEMO_CHARS", "4000000",
            "Characters of converted lines each process keeps for the Traditional edition (text every "
            "page shares is converted once); 0 converts every page whole, every time.", _int),
    Setting("HUIWEN_PUBLISH_DIR", "",
            "Folder `huiwen publish` writes the static site into. Empty: $HUIWEN_DATA_DIR/site."),
    Setting("HUIWEN_PUBLISH_FIRST_LIST_PAGES", "10",
            "Pages of each channel list `huiwen publish` rewrites on every run that changes the list; "
            "deeper pages (every one shifts when an article arrives) are refreshed a budget per run.", _int),
    Setting("HUIWEN_PUBLISH_STALE_PAGES_PER_RUN", "2000",
            "Deep list pages a `huiwen publish` run refreshes at most, oldest first; the rest wait "
            "for the next run. (`huiwen publish --watch` refreshes 100 between two looks at the "
            "change log, and goes on while any are left.)", _int),
    Setting("HUIWEN_PROXY_ADDRESSES", "",
            "Comma-separated addresses of reverse proxies (nginx) whose X-Real-IP header names the "
            "client; requests from anywhere else are taken at their own address.", _list),
    Setting("HUIWEN_LOG_LEVEL", "INFO", "Log level of huiwen's own loggers.",
            _choice("DEBUG", "INFO", "WARNING", "ERROR")),
    # issue 14: the registrations every page's footer shows (the portal's news licence, ICP and
    # public-security filings)
    Setting("HUIWEN_NEWS_LICENCE", "",
            "互联网新闻信息服务许可证 number, shown in every page's footer when set."),
    Setting("HUIWEN_ICP_BEIAN", "",
            "ICP 备案号 as issued (for example 京ICP备12345678号-1), shown in every page's footer and linked "
            "to https://beian.miit.gov.cn/ when set."),
    Setting("HUIWEN_PSB_BEIAN", "",
            "公安机关互联网站安全管理备案号 as issued (for example 京公网安备11010502000001号), shown in every "
            "page's footer and linked to its record on https://beian.mps.gov.cn/ when set."),
    # issue 8 (item 7): the read-only JSON API under /api/v1/
    Setting("HUIWEN_API_PAGE_SIZE", "20", "Articles per page of the JSON API's list when no limit is asked.", _int),
    Setting("HUIWEN_API_MAX_PAGE_SIZE", "100", "Largest limit the JSON API's article list accepts.", _int),
    Setting("HUIWEN_API_MAX_AGE", "60",
            "Seconds the JSON API's answers may be cached (Cache-Control max-age); short, so a "
            "withdrawal reaches API clients within that time.", _int),
    # issue 19: operations (huiwen.ops)
    Setting("HUIWEN_METRICS_ALLOW", "127.0.0.1,::1",
            "Comma-separated addresses or networks (CIDR) allowed to read /metrics and the details of "
            "/readyz. Behind nginx the client is the X-Real-IP of a HUIWEN_PROXY_ADDRESSES proxy; a "
            "forwarded request from any other proxy is refused.", _list),
    Setting("HUIWEN_METRICS_TOKEN", "",
            "A bearer token that also opens /metrics from anywhere (Authorization: Bearer <token>), for a "
            "Prometheus on another machine. Empty: addresses only."),
    Setting("HUIWEN_LOG_FORMAT", "plain",
            "'plain' text lines or 'json' (one JSON object per line: time, level, logger, message and "
            "extra fields) for huiwen's, Django's and gunicorn's logs.", _choice("plain", "json")),
    Setting("HUIWEN_READY_MIN_FREE_MB", "512",
            "/readyz fails when the data folder's file system has less free space than this (MB).", _int),
    Setting("HUIWEN_READY_MAX_QUEUE_LAG", "0",
            "/readyz fails when the task queue lags more than this many seconds (the age of the workers' "
            "last heartbeat, which waits behind every queued task). 0: reported, never failing, so that "
            "a stopped worker does not take the web servers out of a load balancer.", _int),
    Setting("HUIWEN_DATABASE_REPLICAS", "",
            "Comma-separated database URLs of read replicas. Reader pages (GET and HEAD outside the back "
            "office) read articles, channels and 相关阅读 from one of them; everything else, and every write, "
            "uses HUIWEN_DATABASE_URL.", _list),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def value(name: str) -> Any:
    """The parsed value of setting `name`, from the environment or its default.

    A malformed value stops start-up with a message naming the variable, rather than
    running with a guess.
    """
    setting = _BY_NAME[name]
    raw = os.environ.get(name, setting.default)
    try:
        return setting.parse(raw)
    except ValueError as error:
        raise SystemExit(f"{name}: {error}") from None


DOC_INTRO = """# Settings

huiwen reads every setting from an environment variable. This list is generated from
`huiwen/config.py` by `huiwen settings_doc > docs/settings.md`; a test fails when the two differ.
Booleans accept 1/0, true/false, yes/no, on/off; lists are comma-separated.
"""


def settings_document() -> str:
    """The full text of docs/settings.md."""
    return f"{DOC_INTRO}\n{markdown_table()}\n"


def markdown_table() -> str:
    """The settings as a Markdown table, the body of docs/settings.md."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        rows.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return "\n".join(rows)
