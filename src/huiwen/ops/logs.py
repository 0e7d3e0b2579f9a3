"""Logging: plain lines for a terminal, or one JSON object per line for a log pipeline.

JSON lines come from python-json-logger: time, level, logger, message, the exception's traceback
as one field, and any `extra={...}` a caller gave. The same formatter is used for huiwen's
loggers, Django's (server errors with their tracebacks: Django logs them only to mail by default
when DEBUG is off) and gunicorn's (see gunicorn_conf.py).
"""

from __future__ import annotations

from typing import Any

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d"


def formatter(kind: str) -> dict[str, Any]:
    if kind == "json":
        return {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            "json_ensure_ascii": False,
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    return {"format": PLAIN}


def config(kind: str, level: str) -> dict[str, Any]:
    """Django's LOGGING for `kind` ('plain' or 'json') with huiwen's loggers at `level`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter(kind)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
        "loggers": {
            "huiwen": {"handlers": ["console"], "level": level},
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }
