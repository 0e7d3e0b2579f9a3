"""Bad submissions get clear errors and lose nothing; CSRF and rate limits hold."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huiwen.takedown.models import Evidence, Notice
from tests.collect.conftest import png
from tests.reader.pages import html
from tests.takedown.conftest import notice_data

pytestmark = pytest.mark.django_db


def errors(page) -> dict[str, list[str]]:
    """Field name → error messages shown next to it."""
    found: dict[str, list[str]] = {}
    for field in page.xpath("//div[contains(@class,'has-error')]"):
        names = field.xpath(".//*[@name]/@name")
        found[names[0] if names else "?"] = [e.text_content() for e in field.xpath(".//p[@class='error']")]
    return found


def value(page, name: str) -> str:
    element = page.xpath(f"//*[@name='{name}']")[0]
    # A textarea's content starts after the newline Django puts after the opening tag.
    return element.text_content().removeprefix("\n") if element.tag == "textarea" else element.get("value", "")


def test_form_has_every_field_and_a_csrf_token(client):
    page = html(client.get("/takedown/"))
    names = set(page.xpath("//form//*[@name]/@name"))
    assert {"csrfmiddlewaretoken", "regime", "claimant_name", "email", "address", "works", "urls", "evidence_text",
            "evidence_files", "accuracy", "good_faith", "signature"} <= names
    assert page.xpath("//form/@enctype") == ["multipart/form-data"]
    labels = " ".join(page.xpath("//label/text()"))
    assert "权利人真实姓名或名称" in labels and "Rights holder" in labels


def test_post_without_csrf_token_is_refused(world):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/takedown/", notice_data(world)).status_code == 403
    assert not Notice.objects.exists()


def test_missing_fields_are_named_and_typed_text_kept(client, world):
    data = notice_data(world, claimant_name="", address="", accuracy="")
    response = client.post("/takedown/", data)
    assert response.status_code == 400
    page = html(response)
    shown = errors(page)
    assert {"claimant_name", "address", "accuracy"} <= set(shown)
    assert value(page, "works") == data["works"] and value(page, "email") == data["email"]
    assert value(page, "evidence_text") == data["evidence_text"]
    assert not Notice.objects.exists()


def test_dmca_needs_signature_and_statements(client, world):
    response = client.post("/takedown/", notice_data(world, regime="dmca", good_faith="", signature=""))
    shown = errors(html(response))
    assert {"good_faith", "signature"} <= set(shown)


@pytest.mark.parametrize("urls", ["not a url", "javascript:alert(1)", "\n".join(f"https://x.example/{i}" for i in range(51))])
def test_bad_url_lists(client, world, urls):
    response = client.post("/takedown/", notice_data(world, urls=urls))
    assert response.status_code == 400 and "urls" in errors(html(response))


def test_bad_files_refused_with_reasons(client, world, settings):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "MAX_UPLOAD": 1024}
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf")
    program = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)),
                                 content_type="application/pdf")
    response = client.post("/takedown/", {**notice_data(world), "evidence_files": [big, program]})
    assert response.status_code == 400
    messages = " ".join(errors(html(response))["evidence_files"])
    assert "超过" in messages and "只接受" in messages


def test_a_good_file_survives_an_error_elsewhere(client, world):
    picture = SimpleUploadedFile("版面.png", png(), content_type="image/png")
    first = client.post("/takedown/", {**notice_data(world, claimant_name=""), "evidence_files": [picture]})
    page = html(first)
    tokens = page.xpath("//input[@name='staged']/@value")
    assert len(tokens) == 1 and "版面.png" in page.xpath("string(//ul[@class='staged'])")
    again = client.post("/takedown/", {**notice_data(world), "staged": tokens})
    assert again.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type) == ("版面.png", "image/png")


def test_forged_staging_token_is_refused(client, world):
    response = client.post("/takedown/", {**notice_data(world), "staged": ["forged:token"]})
    assert response.status_code == 400 and "evidence_files" in errors(html(response))


def test_rate_limit_per_address_keeps_the_text(client, world, settings):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "RATE_PER_ADDRESS": 2, "RATE_PER_EMAIL": 100}
    for number in range(2):
        assert client.post("/takedown/", notice_data(world, email=f"n{number}@rights.example")).status_code == 302
    blocked = client.post("/takedown/", notice_data(world, email="n3@rights.example"))
    assert blocked.status_code == 429
    page = html(blocked)
    assert "频繁" in page.xpath("string(//div[@class='form-errors'])")
    assert value(page, "email") == "n3@rights.example"
    assert Notice.objects.count() == 2


def test_rate_limit_per_email_across_addresses(world, settings):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "RATE_PER_ADDRESS": 100, "RATE_PER_EMAIL": 1}
    assert Client(REMOTE_ADDR="192.0.2.1").post("/takedown/", notice_data(world)).status_code == 302
    assert Client(REMOTE_ADDR="192.0.2.2").post("/takedown/", notice_data(world)).status_code == 429


def test_unknown_reference_and_closed_counter_forms(client, world):
    assert client.get("/takedown/HW-00000000-XXXXXX/").status_code == 404
    assert client.get("/takedown/HW-00000000-XXXXXX/counter/").status_code == 404
    client.post("/takedown/", notice_data(world, urls="https://elsewhere.example/x.html"))
    received = Notice.objects.get()
    assert client.get(f"/takedown/{received.reference}/counter/").status_code == 409


def test_evidence_is_private(client, world, django_user_model):
    picture = SimpleUploadedFile("a.png", png(), content_type="image/png")
    client.post("/takedown/", {**notice_data(world), "evidence_files": [picture]})
    evidence = Evidence.objects.get()
    assert client.get(f"/takedown/evidence/{evidence.pk}/").status_code in (302, 403)
    officer = django_user_model.objects.create_user("officer", password="a-long-password-123", is_staff=True)
    from django.contrib.auth.models import Permission

    officer.user_permissions.add(Permission.objects.get(codename="view_notice"))
    client.force_login(officer)
    response = client.get(f"/takedown/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert io.BytesIO(b"".join(response.streaming_content)).read()[:4] == b"\x89PNG"
