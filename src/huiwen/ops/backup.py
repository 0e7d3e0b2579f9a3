"""`huiwen backup` and `huiwen restore`: the database and every file that cannot be made again.

A backup is one tar file (gzip-compressed when its name ends in .gz):

    MANIFEST.json              format, time, database vendor, huiwen version, member sizes
    database/huiwen.sqlite3    SQLite: a consistent copy through SQLite's online backup API
    database/huiwen.pgdump     PostgreSQL: pg_dump's custom format (compressed, restored by pg_restore)
    files/archive/...          the raw-page WARC archive (re-extraction reads it)
    files/media/...            collected images
    files/private/...          takedown evidence (never public)
    files/secret_key           the generated key, if there is one: sessions and signed links survive

What is left out is made again from these: collected static files (`huiwen collectstatic`), the
published site (`huiwen publish`), the page cache, the task queue (a due source is queued again).

The database is copied first, the folders after: archive files are only appended to and images
are stored under their content hash, so the folders then hold at least everything the copied
database refers to. Both run while the site serves and collects.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import connections
from django.utils import timezone

from huiwen.newsroom import rows
from huiwen.search.backends.base import forget_ranking_engine

FORMAT = "huiwen-backup/1"
FOLDERS = ("archive", "media", "private")
SECRET = "secret_key"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    vendor: str
    database_bytes: int
    files: int
    file_bytes: int


def _postgres_target(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """libpq connection arguments for pg_dump/pg_restore, the password in the environment (never on
    a command line that every user of the machine can read)."""
    config = settings.DATABASES[alias]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    args = ["--dbname", str(config["NAME"])]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> Path:
    connection = connections["default"]
    if connection.vendor == "sqlite":
        target = folder / "huiwen.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy, pages=4096)  # steps, so writers are not held up for the whole copy
        finally:
            copy.close()
            source.close()
        return target
    if connection.vendor == "postgresql":
        target = folder / "huiwen.pgdump"
        args, env = _postgres_target()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return target
    raise BackupError(f"no backup method for the {connection.vendor} database")


def _data_files() -> Iterator[tuple[Path, str]]:
    data = Path(settings.DATA_DIR)
    for name in FOLDERS:
        root = data / name
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path, f"files/{path.relative_to(data).as_posix()}"
    key = data / SECRET
    if key.is_file():
        yield key, f"files/{SECRET}"


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(payload), int(timezone.now().timestamp()), 0o600
    with tempfile.TemporaryFile() as buffer:
        buffer.write(payload)
        buffer.seek(0)
        archive.addfile(info, buffer)


def backup(path: Path) -> Summary:
    """Write a backup of this installation to `path` (a .tar, or .tar.gz / .tgz to compress)."""
    from huiwen import __version__ as version

    path = Path(path)
    mode: Literal["w:gz", "w"] = "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"
    partial = path.with_name(path.name + ".partial")
    vendor = connections["default"].vendor
    files = file_bytes = 0
    with tempfile.TemporaryDirectory(prefix="huiwen-backup-") as scratch:
        dump = _dump_database(Path(scratch))
        try:
            with tarfile.open(partial, mode) as archive:
                archive.add(dump, f"database/{dump.name}")
                for source, name in _data_files():
                    try:
                        archive.add(source, name, recursive=False)
                    except FileNotFoundError:
                        continue  # removed while we worked (an image moved to quarantine)
                    files += 1
                    file_bytes += source.stat().st_size if source.exists() else 0
                manifest = {
                    "format": FORMAT, "created": timezone.now().isoformat(), "vendor": vendor,
                    "database": f"database/{dump.name}", "database_bytes": dump.stat().st_size,
                    "files": files, "file_bytes": file_bytes, "huiwen": version,
                }
                _add_bytes(archive, "MANIFEST.json", json.dumps(manifest, indent=2).encode())
            partial.replace(path)  # a backup file that exists is complete
        finally:
            partial.unlink(missing_ok=True)
    return Summary(path, vendor, dump.stat().st_size if dump.exists() else 0, files, file_bytes)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("MANIFEST.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("not a huiwen backup: MANIFEST.json is missing")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this huiwen reads {FORMAT})")
    return manifest


def _database_is_empty() -> bool:
    connection = connections["default"]
    return not connection.introspection.table_names()


@contextmanager
def _opened(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"cannot read {path}: {error}") from error
    with archive:
        yield archive


def _restore_database(archive: tarfile.TarFile, manifest: dict[str, Any], scratch: Path) -> None:
    vendor = connections["default"].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"this backup holds a {manifest['vendor']} database; this installation uses {vendor}")
    archive.extract(manifest["database"], scratch, filter="data")
    dump = scratch / manifest["database"]
    connections["default"].close()
    if vendor == "sqlite":
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(str(dump))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    args, env = _postgres_target()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
          str(dump)], env)


def restore(path: Path, *, replace: bool = False) -> dict[str, Any]:
    """Restore a backup into this installation's database and data folder.

    The database must be empty (a fresh PostgreSQL database, or a data folder without a database),
    unless `replace`: then the database is emptied first and the folders are overwritten.
    """
    path = Path(path)
    with _opened(path) as archive:
        manifest = _read_manifest(archive)
        if not _database_is_empty():
            if not replace:
                raise BackupError("the database is not empty: restore into a fresh installation, "
                                  "or give --replace to overwrite this one")
            _empty_database()
        with tempfile.TemporaryDirectory(prefix="huiwen-restore-") as scratch:
            _restore_database(archive, manifest, Path(scratch))
        forget_ranking_engine(connections["default"])
        data = Path(settings.DATA_DIR)
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith("files/"):
                continue
            target = (data / member.name.removeprefix("files/")).resolve()
            if not target.is_relative_to(data.resolve()):
                raise BackupError(f"refusing {member.name!r}: it points outside the data folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(target, member.mode & 0o777)
    return manifest


def _empty_database() -> None:
    connection = connections["default"]
    if connection.vendor == "sqlite":
        connection.close()
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    rows.empty_schema()

