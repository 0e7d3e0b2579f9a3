"""The raw-page archive: every response written to WARC files, so any page can be re-extracted.

Files are gzipped WARC 1.1, one per process and run, under $HUIWEN_DATA_DIR/archive/YYYY/MM/.
Each response is a request record plus a response record; the database keeps the file name and
offset of every response (collect.models.Capture), so re-extraction reads one record directly.
Bodies are stored decoded (Content-Encoding removed, Content-Length adjusted), which is what
the extractor reads and what replay tools expect from a decoded capture.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from huiwen.collect.fetch import Response

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}


class Archive:
    """Appends WARC records to one file; safe to share between the threads of a process."""

    def __init__(self, root: Path, prefix: str = "huiwen") -> None:
        now = datetime.now(UTC)
        folder = root / f"{now:%Y}" / f"{now:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{prefix}-{now:%Y%m%d%H%M%S}-{os.getpid()}.warc.gz"
        self.root = root
        self._lock = threading.Lock()
        self._file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        self._writer = WARCWriter(self._file, gzip=True)
        self._synced = time.monotonic()

    def close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def relative_path(self) -> str:
        return str(self.path.relative_to(self.root))

    def write(self, response: Response) -> int:
        """Write the request and response records; return the response record's offset."""
        date = datetime.fromtimestamp(response.fetched_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        target = response.final_url
        status_line = f"{response.status} {REASONS.get(response.status, 'Status')}"
        http_headers = StatusAndHeaders(status_line, response.headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            target, "response", payload=io.BytesIO(response.body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date},
        )
        path = target.split("/", 3)[3] if target.count("/") >= 3 else ""
        request_headers = StatusAndHeaders(f"GET /{path} HTTP/1.1", response.request_headers,
                                           is_http_request=True)
        request = self._writer.create_warc_record(
            target, "request", http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record.rec_headers["WARC-Record-ID"]},
        )
        with self._lock:
            self._file.seek(0, os.SEEK_END)
            offset = self._file.tell()
            self._writer.write_record(record)
            self._writer.write_record(request)
            self._file.flush()
            # Synced at most once a second rather than per record: a crash can lose the last
            # second of the archive, which re-extraction reports as "not archived", never wrong.
            if time.monotonic() - self._synced > 1.0:
                os.fsync(self._file.fileno())
                self._synced = time.monotonic()
        return offset


def read_response(root: Path, relative_path: str, offset: int) -> tuple[str, dict[str, str], bytes]:
    """(target URL, HTTP headers, body) of the response record at `offset`."""
    with open(root / relative_path, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            headers = dict(record.http_headers.headers) if record.http_headers else {}
            return record.rec_headers.get_header("WARC-Target-URI"), headers, record.content_stream().read()
    raise LookupError(f"no record at {relative_path}:{offset}")


def iter_warc_pages(path: Path) -> Iterator[tuple[str, dict[str, str], bytes]]:
    """(URL, headers, body) of every successful HTML response in a WARC file."""
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            content_type = record.http_headers.get_header("Content-Type") or "text/html"
            if status != "200" or "html" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield url, dict(record.http_headers.headers), record.content_stream().read()
