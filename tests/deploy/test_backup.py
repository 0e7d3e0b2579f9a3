"""The restore drill: back up a serving site, restore into a fresh installation, the same pages are served."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from tests.deploy.conftest import TEST_DATABASE, fetch, free_port, postgres_databases

IMAGE = "img/5e/5e3c0ffee0.png"


def _populate(stack) -> None:
    """The demo, plus one of each kind of file a backup must carry."""
    stack.huiwen("demo", "--no-serve")
    data = Path(stack.env["HUIWEN_DATA_DIR"])
    image = data / "media" / IMAGE
    image.parent.mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    (data / "archive").mkdir(exist_ok=True)
    (data / "archive" / "huiwen-20261201.warc.gz").write_bytes(os.urandom(5000))
    (data / "private" / "evidence").mkdir(parents=True, exist_ok=True)
    (data / "private" / "evidence" / "notice-1.txt").write_text("权利证明(测试)")


def _pages(stack) -> dict[str, tuple[int, bytes]]:
    port = free_port()
    process = stack.gunicorn(port, workers=1)
    base = f"http://127.0.0.1:{port}"
    home = lxml.html.fromstring(fetch(base + "/")[2])
    articles = sorted({href for href in home.xpath("//a/@href") if href.startswith("/a/")})[:3]
    paths = ["/", *articles, f"/zh-hant{articles[0]}", "/feed/rss.xml", "/sitemap.xml", "/news/",
             "/search?q=%E9%AB%98%E9%93%81", f"/media/{IMAGE}", "/api/v1/articles?limit=5"]
    pages = {}
    for path in paths:
        status, _, body = fetch(base + path)
        pages[path] = (status, body.replace(base.encode(), b"http://SITE"))  # absolute links name the port
    process.terminate()
    process.wait(timeout=20)
    return pages


def _drill(make_stack, tmp_path, source_env: dict[str, str], target_env: dict[str, str], name: str) -> None:
    source = make_stack(HUIWEN_DATA_DIR=str(tmp_path / "source"), **source_env)
    _populate(source)
    before = _pages(source)
    assert all(status == 200 for status, _ in before.values()), {p: s for p, (s, _) in before.items()}
    backup = tmp_path / name
    result = source.huiwen("backup", str(backup))
    assert "备份完成" in result.stdout and backup.exists()
    with tarfile.open(backup) as archive:
        names = set(archive.getnames())
    assert {"MANIFEST.json", f"files/media/{IMAGE}", "files/archive/huiwen-20261201.warc.gz",
            "files/private/evidence/notice-1.txt", "files/secret_key"} <= names
    assert not any(member.startswith(("files/static", "files/site")) for member in names)

    target = make_stack(HUIWEN_DATA_DIR=str(tmp_path / "target"), **target_env)
    result = target.huiwen("restore", str(backup))
    assert "已恢复" in result.stdout
    target.huiwen("collectstatic", "--noinput", "--verbosity", "0")
    # The restore steps of docs/deployment.md: the host's ranking engine is built again (on
    # PostgreSQL nothing else builds it before its follower runs; until then the GIN index ranks).
    target.huiwen("search_index", "--engine")
    after = _pages(target)
    for path, (status, body) in before.items():
        assert after[path] == (status, body), f"{path} differs after the restore"
    for relative in (f"media/{IMAGE}", "archive/huiwen-20261201.warc.gz", "private/evidence/notice-1.txt",
                     "secret_key"):
        assert (tmp_path / "target" / relative).read_bytes() == (tmp_path / "source" / relative).read_bytes()

    # A second restore over a live installation is refused unless asked for.
    refused = target.huiwen("restore", str(backup), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr


def test_restore_drill_on_sqlite(make_stack, tmp_path):
    _drill(make_stack, tmp_path, {}, {}, "huiwen.tar.gz")


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE, reason="needs HUIWEN_TEST_DATABASE_URL (a PostgreSQL server)")
def test_restore_drill_on_postgresql(make_stack, tmp_path):
    with postgres_databases("drill_source", "drill_target") as (source, target):
        _drill(make_stack, tmp_path, {"HUIWEN_DATABASE_URL": source}, {"HUIWEN_DATABASE_URL": target}, "huiwen.tar")


def test_restore_refuses_what_is_not_a_backup(make_stack, tmp_path):
    stack = make_stack()
    not_backup = tmp_path / "notes.tar"
    with tarfile.open(not_backup, "w") as archive:
        info = tarfile.TarInfo("readme.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    result = stack.huiwen("restore", str(not_backup), check=False)
    assert result.returncode != 0 and "MANIFEST.json is missing" in result.stderr
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"\x00not a tar at all" * 10)
    result = stack.huiwen("restore", str(garbage), check=False)
    assert result.returncode != 0 and "cannot read" in result.stderr
    result = stack.huiwen("restore", str(tmp_path / "missing.tar"), check=False)
    assert result.returncode != 0 and "找不到备份文件" in result.stderr


def test_restore_refuses_paths_outside_the_data_folder(make_stack, tmp_path):
    source = make_stack(HUIWEN_DATA_DIR=str(tmp_path / "source"))
    source.huiwen("migrate", "--verbosity", "0")
    backup = tmp_path / "backup.tar"
    source.huiwen("backup", str(backup))
    with tarfile.open(backup, "a") as archive:
        info = tarfile.TarInfo("files/../../escaped.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    target = make_stack(HUIWEN_DATA_DIR=str(tmp_path / "target" / "data"))
    result = target.huiwen("restore", str(backup), check=False)
    assert result.returncode != 0 and "outside the data folder" in result.stderr
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "target" / "escaped.txt").exists()
