"""Per-request account context: the chosen role, and the forced password change."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from educio.accounts.scope import ACTIVE_ASSIGNMENT_ATTR

ACTIVE_ASSIGNMENT_SESSION_KEY = "educio_active_assignment"


class ActiveRoleMiddleware:
    """Applies the role picked in the role switcher to this request's scope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            setattr(request.user, ACTIVE_ASSIGNMENT_ATTR, request.session.get(ACTIVE_ASSIGNMENT_SESSION_KEY))
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Accounts created by an administrator must set their own password before anything else."""

    allowed_url_names = ("accounts:password_change", "accounts:logout", "accounts:login")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/v1/")):
                return redirect("accounts:password_change")
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Chinese unless the user picked another language with the switcher (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a bureau
    PC with an English-language browser would show English to staff who expect the
    official Chinese terms. The choice is the user's, not the browser's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
