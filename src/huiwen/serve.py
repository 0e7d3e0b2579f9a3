"""Serving the site with gunicorn from inside the `huiwen` command (used by `huiwen demo` and `huiwen serve`)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from huiwen import gunicorn_conf


class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types: the base is Any
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from huiwen.wsgi import application

        return application


def serve(addr: str, workers: int = 2, threads: int = 4) -> None:
    """Run gunicorn in the foreground until interrupted."""
    _Gunicorn(
        {
            "bind": addr,
            "workers": workers,
            "threads": threads,
            "accesslog": "-",
            "graceful_timeout": 5,
            "limit_request_line": gunicorn_conf.limit_request_line,
        }
    ).run()
