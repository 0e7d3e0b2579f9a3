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
# The flags a climb would change (backoffice.accounts.FLAGS). Set on an instance, or given to a
# constructor, they are a write only once saved, so they pass when the same function hands the
# account to the service; given to a QuerySet's update() they are written at once, unchecked.
FLAGS = {"is_superuser", "is_staff", "is_active"}
LOOKUPS = {"filter", "exclude", "get", "first", "exists", "values", "values_list"}


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
        elif method == "update" and FLAGS & {keyword.arg for keyword in node.keywords}:
            found.append((node.lineno, "update of a flag"))
    return found + flag_writes(tree)


def calls_the_service(function: ast.AST) -> bool:
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and isinstance(node.func.value, ast.Name) and node.func.value.id == "accounts"
               for node in ast.walk(function))


def flag_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """A flag set (`user.is_staff = True`, `User(is_superuser=True)`) in a function that never
    passes the account to the service: saved by `user.save()`, it would climb unchecked."""
    found = []
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    module_level = ast.Module(body=[statement for statement in getattr(tree, "body", [])
                                    if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                  ast.ClassDef))], type_ignores=[])
    for scope in [*functions, module_level]:
        if calls_the_service(scope):
            continue
        for node in ast.walk(scope):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [(node.lineno, f"{target.attr} set") for target in targets
                          if isinstance(target, ast.Attribute) and target.attr in FLAGS]
            elif isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute)
                                                     and node.func.attr in LOOKUPS | {"update"}):
                found += [(node.lineno, f"{keyword.arg} given") for keyword in node.keywords
                          if keyword.arg in FLAGS]
    return sorted(set(found))


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
User.objects.filter(is_staff=True).update(is_superuser=True)

def climb(user):
    user.is_superuser = True
    user.save()

def make(name):
    return User(username=name, is_staff=True)

def assign(user):
    user.is_staff = True  # handed to the service below: checked and audited there
    accounts.save_account(None, user, update_fields=["is_staff"])
    return User.objects.filter(is_active=True)  # a lookup, not a write
"""
    assert [what for _, what in account_writes(ast.parse(source))] == [
        "set_password", "groups.add", "user_permissions.set", "permissions.remove", "create_superuser",
        "update of a flag", "is_superuser set", "is_staff given"]
    assert account_writes(ast.parse("boss = User.objects.get()\nboss.is_superuser = True\nboss.save()")) == [
        (2, "is_superuser set")]  # outside any function too
