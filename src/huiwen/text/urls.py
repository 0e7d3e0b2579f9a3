"""URL canonicalisation: one spelling per page, so nothing is ingested twice.

Two links to the same article differ by tracking parameters, fragments, default ports, letter
case of the host, parameter order, or an index page name. `canonical()` removes all of these.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Parameters that identify a campaign or a click, never the page itself.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "spm", "scm",
    "from", "share", "share_token", "shareid", "isappinstalled", "wfr", "tt_from", "utm_id", "_ga",
    "ref", "ref_src", "sharesource", "timestamp", "xtrack",
})
TRACKING_PREFIXES = ("utm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci", "pk_", "mtm_")
INDEX_PAGES = re.compile(r"/(?:index|default)\.(?:html?|shtml|php|aspx?|jsp)$", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """A URL huiwen cannot fetch: wrong scheme, no host, malformed."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _host(hostname: str) -> str:
    try:
        return hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise BadURL(f"bad host name {hostname!r}") from error


def _path(path: str) -> str:
    # Decode then re-encode so %E6%96%B0 and 新 are one spelling; keep reserved characters.
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    if not path:
        return "/"
    normal = posixpath.normpath(path)
    if path.endswith("/") and normal != "/":
        normal += "/"
    normal = normal.replace("//", "/")
    return INDEX_PAGES.sub("/", normal)


def canonical(url: str, base: str | None = None) -> str:
    """The canonical spelling of `url` (resolved against `base` when relative)."""
    from urllib.parse import urljoin

    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise BadURL(f"malformed URL {url!r}: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise BadURL(f"only http and https URLs can be collected, not {url!r}")
    if not parts.hostname:
        raise BadURL(f"URL without a host: {url!r}")
    netloc = _host(parts.hostname)
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if port and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, _path(parts.path), urlencode(sorted(query)), ""))


def host_key(url: str) -> str:
    """host[:port] of a URL: the unit of politeness (robots.txt, rate limits)."""
    return urlsplit(url).netloc.lower()


def page_name(url: str) -> str:
    """A readable name for a single-page source: host and path (news.example/2026/11/river.html).

    Several single pages of one host then get names of their own (issue 15), where host-only
    names collided on the second one.
    """
    parts = urlsplit(url)
    path = unquote(parts.path).rstrip("/")
    name = f"{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")
    return name[:100] or url[:100]
