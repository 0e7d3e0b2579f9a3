"""The security headers every response must carry, from the app or from nginx alike."""

from __future__ import annotations

from collections.abc import Mapping

# name → the value it must have (None: present, any value checked separately)
REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": None,
}


def policy(value: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive → sources."""
    parsed = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def problems(headers: Mapping[str, str], https: bool = False) -> list[str]:
    """What is missing or too weak in one response's headers (empty: all good)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    found = []
    for name, wanted in REQUIRED.items():
        value = lowered.get(name.lower())
        if value is None:
            found.append(f"{name} missing")
        elif wanted is not None and value != wanted:
            found.append(f"{name}: {value!r}, not {wanted!r}")
    csp = policy(lowered.get("content-security-policy", ""))
    scripts = csp.get("script-src", csp.get("default-src", []))
    if not scripts or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
        found.append(f"script-src allows inline or foreign script: {scripts}")
    if csp.get("object-src") != ["'none'"] or csp.get("frame-ancestors") != ["'none'"]:
        found.append("object-src and frame-ancestors must be 'none'")
    if https and "strict-transport-security" not in lowered:
        found.append("Strict-Transport-Security missing")
    return found
