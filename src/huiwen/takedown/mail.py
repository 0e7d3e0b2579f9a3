"""Forwarding notices and counter-notices, with a record of who was told what and when."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail

from huiwen.takedown.models import Forwarding, Notice

log = logging.getLogger(__name__)


def forward(notice: Notice, recipient: str, role: str, subject: str, body: str) -> Forwarding:
    """Send one message and record it; a failure is recorded too, never silently dropped."""
    delivered, error = True, ""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    except (SMTPException, OSError) as failure:
        delivered, error = False, str(failure)[:300]
        log.warning("forwarding %s to %s failed: %s", notice.reference, recipient, failure)
    return Forwarding.objects.create(notice=notice, recipient=recipient, role=role, subject=subject[:200],
                                     body=body, delivered=delivered, error=error)


def record_unsent(notice: Notice, recipient: str, role: str, subject: str, body: str, why: str) -> Forwarding:
    """A party that should be told but has no address on file: the gap is on the record."""
    return Forwarding.objects.create(notice=notice, recipient=recipient, role=role, subject=subject[:200],
                                     body=body, delivered=False, error=why[:300])
