"""A hostile web server on 127.0.0.1: it answers, but as slowly as it likes.

Raw sockets rather than http.server, so it can drip the status line and headers one byte at a
time (http.server always writes a whole header line at once). Each connection gets a thread; a
client that hangs up ends it.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Drip:
    """What the server sends for any request: `head` then `body`, `per_byte` seconds per byte
    from `slow_from` on (0: everything slow; len(head): only the body)."""

    head: bytes
    body: bytes = b""
    per_byte: float = 1.0
    slow_from: int = 0


def slow_headers(per_byte: float = 1.0) -> Drip:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + b"X-Pad: " + b"a" * 4000 + b"\r\n\r\n"
    return Drip(head=head, body=b"<p>never</p>", per_byte=per_byte)


def slow_body(per_byte: float = 1.0, size: int = 100_000) -> Drip:
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {size}\r\n\r\n").encode()
    return Drip(head=head, body=b"x" * size, per_byte=per_byte, slow_from=len(head))


@dataclass
class HostileServer:
    drip: Drip
    connections: int = 0
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> HostileServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._acceptor.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._answer, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                whole = self.drip.head + self.drip.body
                connection.sendall(whole[:self.drip.slow_from])
                for index in range(self.drip.slow_from, len(whole)):
                    if self._stop.wait(self.drip.per_byte):
                        return
                    connection.sendall(whole[index:index + 1])
            except OSError:  # the client gave up: what we wanted
                return
