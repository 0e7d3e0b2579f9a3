"""Login and logout of the back office (Django's views, our templates; django-axes throttles through
backoffice.login), and the unlock link for an account locked by guesses from elsewhere (issue 13)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_http_methods, require_POST

from huiwen import limits
from huiwen.backoffice.login import clear_account, remember_device
from huiwen.proxy import client_address

UNLOCK_REQUESTS_PER_HOUR = 5


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "backoffice:login"


@require_POST
def request_unlock(request: HttpRequest) -> HttpResponse:
    """Mail an unlock link to the account's own address. The answer is the same whether or not the
    account exists or has an address, so it reveals nothing about accounts."""
    username = request.POST.get("username", "").strip()[:150]
    if limits.allowed("unlock", client_address(request), UNLOCK_REQUESTS_PER_HOUR):
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is not None and account.email:
            uid = urlsafe_base64_encode(force_bytes(account.pk))
            link = request.build_absolute_uri(reverse("backoffice:unlock", args=[uid,
                                                                                 default_token_generator.make_token(account)]))
            send_mail(f"[{settings.HUIWEN['SITE_NAME']}] 解锁登录", f"有人多次用错误的密码尝试登录您的账号 {username},"
                      f"登录已被暂时锁定。如果是您本人,请在这台电脑的浏览器中打开下面的链接解锁:\n\n{link}\n\n"
                      "解锁只对打开链接的浏览器有效,仍需输入密码登录。如果不是您本人,请忽略本邮件并考虑修改密码。",
                      settings.DEFAULT_FROM_EMAIL, [account.email], fail_silently=True)
    messages.info(request, "如果该账号存在并登记了邮箱,解锁链接已发往该邮箱。")
    return redirect("backoffice:login")


@require_http_methods(["GET", "HEAD", "POST"])
def unlock(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The link from the mail: on confirmation, this browser becomes one the account signs in from,
    and the account's failed logins are cleared. It gives no access: the password is still needed."""
    try:
        account = get_user_model().objects.filter(pk=int(force_str(urlsafe_base64_decode(uid)))).first()
    except (ValueError, OverflowError):
        account = None
    if account is None or not default_token_generator.check_token(account, token):
        return render(request, "backoffice/unlock.html", {"valid": False}, status=400)
    if request.method != "POST":  # a mail scanner following the link changes nothing
        return render(request, "backoffice/unlock.html", {"valid": True, "username": account.get_username()})
    clear_account(account.get_username())
    messages.success(request, "已解锁:这台电脑的浏览器可以登录了。")
    response = redirect("backoffice:login")
    remember_device(request, response, account.get_username())
    return response
