"""No reaching into library internals (issue 18, point 4), read from the source with `ast`.

src/ uses Django and the other libraries through what their documentation describes. Flagged:
- an import, at run time, of a library module that is no public API (Django's SQL compiler, the
  QuerySet's iterables, Model internals, the backends, the migration executor, request parsing
  helpers, library helpers such as prometheus-client's mmap_dict), or of a name named below;
  imports under `if TYPE_CHECKING:` are for annotations only and are not flagged;
- a private attribute (`x._name`, or getattr/setattr/hasattr with "_name") of anything but self
  and cls, other than the documented ones (Model._meta, _state.adding/_state.db,
  Model._default_manager, simple-history's _change_reason/_history_user/_history_date) and our
  own markers (_huiwen_*);
- the ORM's compiling machinery by name (get_compiler, as_sql, get_converters, klass_info …) and
  a QuerySet's query internals (`queryset.query.<anything>`).
Each module still doing so is in KNOWN with its reason (docs/architecture.md "Library internals");
the list only shrinks. Migrations are Django's own format and are not read.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

MODULES = (
    "django.db.models.sql", "django.db.models.query", "django.db.models.base", "django.db.backends",
    "django.db.migrations.executor", "django.db.migrations.loader", "django.db.migrations.recorder",
    "django.db.migrations.graph", "django.http.request", "django.http.response", "django.core.management.color",
    "prometheus_client.mmap_dict", "simple_history.manager", "simple_history.utils",
    "axes.helpers", "axes.attempts", "axes.conf",  # django-axes' inner helpers (its docs name settings, handlers)
)
# Public names some of those modules re-export (from django.db.models.query import QuerySet).
PUBLIC_NAMES = {"django.db.models.query": {"QuerySet", "Prefetch"}}
NAMES = {"split_domain_port", "validate_host", "ModelState", "get_related_populators", "SQLCompiler",
         "MigrationExecutor", "MmapedDict", "CheckableLazyObject"}
ATTRIBUTES = {"get_compiler", "as_sql", "get_converters", "get_db_converters", "klass_info",
              "annotation_col_map", "get_col", "setup_query", "pre_sql_setup", "execute_sql"}
DOCUMENTED_PRIVATE = {"_meta", "_state", "_default_manager", "_base_manager", "_change_reason",
                      "_history_user", "_history_date",
                      "_Element", "_ElementTree"}  # lxml's documented element classes bear these names
STATE = {"adding", "db"}

# Still reaching in, each module with its reason and exactly what it reaches (line numbers aside);
# the list only shrinks.
KNOWN: dict[str, tuple[str, set[str]]] = {}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` except those under `if TYPE_CHECKING:`."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)
    return found


def _internal_module(name: str) -> bool:
    return any(name == module or name.startswith(module + ".") for module in MODULES)


def _own_private_names() -> set[str]:
    """Private names huiwen itself defines (functions, methods, classes, attributes set on self):
    reaching one of them on another object of ours is no library internal."""
    names: set[str] = set()
    for path in (SRC / "huiwen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(
                    node.value, ast.Name) and node.value.id in {"self", "cls"}:
                names.add(node.attr)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


OWN_PRIVATE = _own_private_names()


def _private(name: str) -> bool:
    return (name.startswith("_") and not name.startswith("__") and name not in DOCUMENTED_PRIVATE
            and not name.startswith("_huiwen_") and name not in OWN_PRIVATE)


def findings(source: str) -> list[tuple[int, str]]:
    """(line, what) of each reach into a library's internals in `source`."""
    found: list[tuple[int, str]] = []
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            public = PUBLIC_NAMES.get(node.module, set())
            for alias in node.names:
                if (_internal_module(node.module) and alias.name not in public) or alias.name in NAMES:
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {alias.name}") for alias in node.names if _internal_module(alias.name)]
        elif isinstance(node, ast.Attribute):
            owner = node.value
            if node.attr in ATTRIBUTES or node.attr in NAMES:
                found.append((node.lineno, f".{node.attr}"))
            elif isinstance(owner, ast.Attribute) and owner.attr == "query" and not isinstance(owner.value, ast.Name):
                pass  # a.b.query.x: too far from a QuerySet to tell
            elif isinstance(owner, ast.Attribute) and owner.attr == "query" and node.attr not in {"split", "get"}:
                found.append((node.lineno, f".query.{node.attr}"))
            elif isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                pass
            elif isinstance(owner, ast.Attribute) and owner.attr == "_state":
                if node.attr not in STATE:
                    found.append((node.lineno, f"._state.{node.attr}"))
            elif _private(node.attr):
                found.append((node.lineno, f"._{node.attr.lstrip('_')}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {
                "getattr", "setattr", "hasattr"} and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                owner = node.args[0]
                if not (isinstance(owner, ast.Name) and owner.id in {"self", "cls"}):
                    found.append((node.lineno, f"{node.func.id}(…, {name.value!r})"))
        elif isinstance(node, ast.Name) and node.id in NAMES:
            found.append((node.lineno, node.id))
    return sorted(set(found))


def _modules() -> dict[str, str]:
    return {path.relative_to(SRC).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((SRC / "huiwen").rglob("*.py")) if "migrations" not in path.parts}


def test_src_reaches_into_no_library_internals_beyond_the_known_list():
    reaching = {name: hits for name, source in _modules().items() if (hits := findings(source))}
    new = {name: [hit for hit in hits if hit[1] not in KNOWN.get(name, ("", set()))[1]]
           for name, hits in reaching.items()}
    assert not {name: hits for name, hits in new.items() if hits}
    gone = {name: what - {hit[1] for hit in reaching.get(name, [])} for name, (_, what) in KNOWN.items()}
    assert not {name: what for name, what in gone.items() if what}, "no longer used: take it off KNOWN"


def test_the_scan_sees_each_form():
    assert findings("from django.db.models.sql.compiler import SQLCompiler\n")
    assert findings("from django.db.models.query import ModelIterable\n")
    assert not findings("from django.db.models.query import QuerySet\n")
    assert findings("from django.db.models.base import ModelState\n")
    assert findings("import django.db.models.sql\n")
    assert findings("from django.http.request import split_domain_port\n")
    assert findings("from django.db.migrations.executor import MigrationExecutor\n")
    assert findings("sql, params = queryset.query.get_compiler(using='default').as_sql()\n")
    assert findings("kind = queryset._iterable_class\n")
    assert findings("label = match._func_path\n")
    assert findings("stream = self.stderr._out\n")
    assert findings("value = getattr(request, '_csp_nonce', None)\n")
    assert findings("values = qs.query.values_select\n")
    # Documented or our own: the model's options, its state's two documented fields, simple-history's
    # markers, a manager, our own private names on self, imports for annotations only.
    assert not findings("meta = model._meta\nstate = obj._state.db, obj._state.adding\n")
    assert not findings("article._change_reason = 'x'\nuser = getattr(article, '_history_user', None)\n")
    assert not findings("rows = model._default_manager.all()\nself._local = 1\nx = cls._cache\n")
    assert not findings("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                        "    from django.db.backends.utils import CursorWrapper\n")
    assert findings("fields = obj._state.fields_cache\n")
