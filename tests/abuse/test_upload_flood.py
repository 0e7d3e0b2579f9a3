"""Evidence uploads as an attacker sends them (issue 13).

The attack: 10 POSTs of 5 × 5 MB files from an address already rate-limited were all answered
429, yet 262 MB landed in private/staging within 1.4 s: files were staged before the form was
judged, and nothing ever removed them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from huiwen.takedown import uploads
from huiwen.takedown.models import Evidence, Notice
from tests.abuse.test_notice_flood import notice_form
from tests.reader.pages import html

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def upload_settings(settings, tmp_path):
    settings.TAKEDOWN = {**settings.TAKEDOWN, "PRIVATE_DIR": tmp_path / "private", "RATE_PER_ADDRESS": 5,
                         "RATE_PER_EMAIL": 100, "MAX_UPLOAD": 5 * MB, "MAX_FILES": 5,
                         "STAGING_PER_ADDRESS": 12 * MB, "STAGING_TOTAL": 20 * MB, "STAGING_HOURS": 6}
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()


def written(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file()) if root.exists() else 0


def pdfs(count: int, size: int = 5 * MB) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"scan{n}.pdf", b"%PDF-1.4\n" + os.urandom(size - 9), "application/pdf")
            for n in range(count)]


def test_rate_limited_posts_write_nothing_to_disk(settings):
    sender = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(5):  # spend the address's notices on forms with an error
        sender.post("/takedown/", notice_form(["https://x.example/1"], claimant_name=""))
    before = written(settings.TAKEDOWN["PRIVATE_DIR"])
    statuses = [sender.post("/takedown/", {**notice_form(["https://x.example/1"]), "evidence_files": pdfs(5)}).status_code
                for _ in range(10)]
    assert statuses == [429] * 10
    assert written(settings.TAKEDOWN["PRIVATE_DIR"]) - before == 0  # 250 MB sent, 0 bytes kept
    assert written(Path(settings.FILE_UPLOAD_TEMP_DIR)) == 0  # not even Django's temporary upload files
    assert not Notice.objects.exists()


def test_files_are_judged_in_memory_and_kept_only_with_an_accepted_notice(settings):
    good = Client(REMOTE_ADDR="192.0.2.51").post(
        "/takedown/", {**notice_form(["https://x.example/1"]), "evidence_files": pdfs(2, 1 * MB)})
    assert good.status_code == 302
    assert Evidence.objects.count() == 2
    assert written(settings.TAKEDOWN["PRIVATE_DIR"] / "staging") == 0  # straight into the evidence store


def test_too_many_files_in_one_request_are_refused_unread():
    response = Client().post("/takedown/", {**notice_form(["https://x.example/1"]), "evidence_files": pdfs(7, 1024)})
    assert response.status_code == 400 and not Notice.objects.exists()


def test_staging_for_forms_with_errors_is_capped_per_address_and_in_all(settings):
    staging = settings.TAKEDOWN["PRIVATE_DIR"] / "staging"
    for number in range(4):  # each try: a form with an error and 5 MB of good evidence
        response = Client(REMOTE_ADDR="192.0.2.60").post(
            "/takedown/", {**notice_form(["https://x.example/1"], claimant_name=""), "evidence_files": pdfs(1)})
        assert response.status_code == 400
        if number >= 2:  # a third 5 MB file would pass the 12 MB per address
            assert "未能暂存" in html(response).text_content()
    assert written(staging) <= 12 * MB
    for number in range(6):  # many addresses: the total cap holds
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            "/takedown/", {**notice_form(["https://x.example/1"], claimant_name=""), "evidence_files": pdfs(1)})
    assert written(staging) <= 20 * MB


def test_a_staged_file_comes_back_with_the_next_try_and_expires_otherwise(settings):
    first = Client().post("/takedown/", {**notice_form(["https://x.example/1"], claimant_name=""),
                                         "evidence_files": pdfs(1, 2048)})
    tokens = html(first).xpath("//input[@name='staged']/@value")
    assert len(tokens) == 1
    staging = settings.TAKEDOWN["PRIVATE_DIR"] / "staging"
    assert written(staging) == 2048
    # Staged seven hours ago (past HUIWEN_TAKEDOWN_STAGING_HOURS): the timer removes it.
    seven_hours_ago = time.time() - 7 * 3600
    for path in staging.rglob("*"):
        if path.is_file():
            os.utime(path, (seven_hours_ago, seven_hours_ago))
    call_command("takedown", "tick")
    assert written(staging) == 0
    again = Client().post("/takedown/", {**notice_form(["https://x.example/1"]), "staged": tokens})
    assert again.status_code == 400 and "已过期" in html(again).text_content()
    assert uploads.expire() == 0
