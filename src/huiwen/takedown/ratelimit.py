"""Submission limits per address and per claimant (counted by huiwen.limits, in the cache).

A claimant is its e-mail address folded the way mail providers deliver it (issue 13: `a+1@…`,
`a+2@…` all reach `a@…`, so they share one limit): lower case, a `+tag` dropped from the local
part, and for Gmail (which ignores dots and answers at googlemail.com too) the dots dropped and
the domain made one. Limits count notices and, separately, the URLs they name: a notice may name
up to 50, and a limit of notices alone let one address name 250 URLs an hour.
"""

from __future__ import annotations

from huiwen.limits import WINDOW, allowed, within

__all__ = ["WINDOW", "allowed", "claimant_key", "within"]

DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def claimant_key(email: str) -> str:
    """The mailbox an address delivers to: A.Li+takedown@GoogleMail.com → ali@gmail.com."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or not local:
        return email.strip().lower()
    local = local.split("+", 1)[0]
    if domain in DOTLESS:
        local, domain = local.replace(".", ""), DOTLESS[domain]
    return f"{local}@{domain}"
