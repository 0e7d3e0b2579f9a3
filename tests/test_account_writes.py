"""huiwen's own code changes accounts and roles only through the account service (backoffice.accounts).

With no model signal watching accounts (issue 18), a page or command that wrote a password, a
role or a permission itself would change an account unchecked and unaudited. This reads src/
with `ast` and fails on such a write anywhere but the service.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "huiwen"
SERVICE = SRC / "backoffice" / "accounts.py"
# Relations of accounts and roles (user.groups, user.user_permissions, group.permissions, group.user_set)
RELATIONS = {"groups", "user_permissions", "permissions", "user_set"}
WRITES = {"add", "set", "remove", "clear"}
# Calls that write an account by themselves.
ACCOUNT_CALLS = {"set_password", "set_unusable_password", "create_user", "create_superuser"}


def account_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, owner = node.func.attr, node.func.value
        if isinstance(owner, ast.Name) and owner.id == "accounts":  # the service itself, called
            continue
        if method in ACCOUNT_CALLS:
            found.append((node.lineno, method))
        elif method in WRITES and isinstance(owner, ast.Attribute) and owner.attr in RELATIONS:
            found.append((node.lineno, f"{owner.attr}.{method}"))
    return found


def test_accounts_are_written_only_through_the_account_service():
    outside = {
        f"{path.relative_to(SRC)}:{line} {what}"
        for path in SRC.rglob("*.py") if path != SERVICE and "migrations" not in path.parts
        for line, what in account_writes(ast.parse(path.read_text(), str(path)))
    }
    assert outside == set()


def test_the_check_sees_each_kind_of_write():
    source = """
user.set_password("x")
user.groups.add(group)
self.user.user_permissions.set([])
group.permissions.remove(p)
User.objects.create_superuser("boss")
article.tags.add(tag)      # not an account relation
accounts.set_password(None, user, "x")  # the service
"""
    assert [what for _, what in account_writes(ast.parse(source))] == [
        "set_password", "groups.add", "user_permissions.set", "permissions.remove", "create_superuser"]
