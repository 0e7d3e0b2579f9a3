"""Access rules and small helpers shared by the back office's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from huiwen.backoffice import health

View = Callable[..., HttpResponse]


def desk(*perms: str) -> Callable[[View], View]:
    """Logged in (else to the login page) and holding `use_desk` and `perms` (else 403)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(("backoffice.use_desk", *perms)):
                raise PermissionDenied("你的角色没有这项权限。")
            # Read only if the page renders them (base.html does, at the top of every desk page).
            request.desk_warnings = SimpleLazyObject(health.warnings)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def editor(request: HttpRequest) -> User:
    """The signed-in account of a desk page (`desk` let only signed-in users through)."""
    assert isinstance(request.user, User)
    return request.user


def report(request: HttpRequest, done: int, verb: str, refused: list[tuple[Any, list[str]]]) -> None:
    """Tell the editor what a (bulk) action did, and why each refused article was refused."""
    if done:
        messages.success(request, f"已{verb} {done} 篇。")
    for article, problems in refused:
        messages.error(request, f"《{article.title}》未能{verb}:{''.join(problems)}")


def form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(request, "操作未执行:" + " ".join(error for errors in form.errors.values() for error in errors))


def safe_next(request: HttpRequest, fallback: str, *args: Any) -> str:
    """Where to go back to after a POST: the page it came from, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(fallback, args=args)
