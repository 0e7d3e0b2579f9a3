"""What an account command's audit entry says about where the change came from."""

from __future__ import annotations

import contextlib
import getpass


def details(command: str) -> dict[str, object]:
    """The command, and the system account that ran it where the system can tell."""
    found: dict[str, object] = {"command": command}
    # KeyError/OSError: no login name and no password-database entry (a bare container).
    with contextlib.suppress(KeyError, OSError):
        found["operator"] = getpass.getuser()
    return found
