"""Helpers for back-office tests: users in the real role groups, pages parsed with lxml."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from huiwen.backoffice.models import EditorProfile, SensitiveWord
from huiwen.backoffice.roles import ROLES, ensure_roles
from tests import factories

PASSWORD = "Lan-Ting-Xu-353"


def user(username: str, role: str, real_name: str | None = "林晓岚"):
    ensure_roles()
    made = get_user_model().objects.create_user(username, password=PASSWORD)
    made.groups.add(Group.objects.get(name=ROLES[role][0]))
    if real_name:
        EditorProfile.objects.create(user=made, real_name=real_name)
    return get_user_model().objects.get(pk=made.pk)  # fresh: no cached permissions or profile


def word(text: str, kind: str = "review", replacement: str = "") -> SensitiveWord:
    return SensitiveWord.objects.create(word=text, kind=kind, replacement=replacement)


def collected(channel, title="江畔老街换新颜", status="pending", **fields):
    """An article as the collector stores it: original title kept, attribution from the source."""
    fields.setdefault("original_title", title)
    fields.setdefault("original_author", "周明远")
    return factories.article(channel, title, status=status, **fields)


def form_data(client, url: str, form_id: str) -> dict[str, object]:
    """A form as the page renders it (an admin change form), every field with its current value."""
    from tests.reader.pages import html

    page = html(client.get(url))
    data: dict[str, object] = {}
    for field in page.xpath(f"//form[@id='{form_id}']//*[@name]"):
        name, kind = field.get("name"), field.get("type")
        if field.tag == "select":
            data[name] = field.xpath(".//option[@selected]/@value")
        elif kind == "checkbox":
            if field.get("checked") is not None:
                data[name] = "on"
        elif kind != "submit" and name != "csrfmiddlewaretoken":
            data[name] = field.get("value", field.text or "")
    return data
