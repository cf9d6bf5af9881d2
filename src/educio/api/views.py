"""The user's own API tokens: create (shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from educio.api import selectors, services
from educio.api.forms import TokenForm


class TokenListView(LoginRequiredMixin, View):
    template_name = "api/token_list.html"

    def render_page(self, request: HttpRequest, form: TokenForm, raw: str = "", status: int = 200) -> HttpResponse:
        tokens = selectors.api_token_list(user=request.user)
        return render(request, self.template_name, {"form": form, "tokens": tokens, "raw_token": raw}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, raw = services.api_token_create(
                    request=request, user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return self.render_page(request, TokenForm(), raw=raw)
        return self.render_page(request, form, status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(selectors.api_token_list(user=request.user), pk=pk)
        try:
            services.api_token_revoke(request=request, user=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("令牌已吊销。"))
        return redirect("api:tokens")
