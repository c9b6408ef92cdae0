"""/account/keys/: a signed-in user makes and revokes their own keys for the REST API."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from companies.api_tokens import api_token_create, api_token_revoke
from companies.exceptions import PortalError
from companies.forms import add_service_error
from companies.models import ApiToken


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the key is for"),
        max_length=100,
        help_text=gettext_lazy("E.g. “1C integration” or “regional ministry's CRM”."),
    )
    valid_days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("a year")),
            (0, gettext_lazy("until revoked")),
        ],
        initial=365,
    )


class ApiKeysView(LoginRequiredMixin, View):
    login_url = reverse_lazy("account:login")
    template_name = "accounts/api_keys.html"

    def render_page(self, request, form, *, new_key: str = "", status: int = 200):
        keys = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-pk")
        context = {"form": form, "keys": keys, "new_key": new_key, "api_docs": reverse("api:docs")}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request, ApiKeyForm())

    def post(self, request):
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["valid_days"]
            expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
            try:
                _token, key = api_token_create(
                    user=request.user, name=form.cleaned_data["name"], expires_at=expires_at, by=request.user
                )
            except PortalError as exc:
                add_service_error(form, exc)
            else:
                # Shown on this response only: it is not stored and cannot be shown again.
                return self.render_page(request, ApiKeyForm(), new_key=key, status=201)
        return self.render_page(request, form, status=400)


class ApiKeyRevokeView(LoginRequiredMixin, View):
    login_url = reverse_lazy("account:login")
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        api_token_revoke(token=token, by=request.user)
        messages.success(request, _("The key “%(name)s” is revoked: it no longer works.") % {"name": token.name})
        return HttpResponseRedirect(reverse("account:api-keys"))
