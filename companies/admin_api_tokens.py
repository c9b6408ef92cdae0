"""API keys in the admin: staff make keys for themselves and their organization's logins (an integration
account, say), see when each was last used, and revoke them. The key is shown once, after saving."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .admin_base import RoleScopedAdmin
from .api_tokens import api_token_check, api_token_create, api_token_revoke
from .exceptions import PortalError
from .models import ApiToken
from .roles import api_key_holders, can_edit


class ApiTokenAddForm(forms.ModelForm):
    by = None  # who makes the key: set by ApiTokenAdmin.get_form

    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def clean(self):
        data = super().clean()
        if data.get("user") and not self.errors:
            try:
                api_token_check(
                    user=data["user"], name=data.get("name", ""), by=self.by, expires_at=data.get("expires_at")
                )
            except PortalError as exc:
                raise ValidationError(exc.messages) from None
        return data


@admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
def revoke_selected(modeladmin, request, queryset):
    rows = ApiToken.objects.filter(pk__in=queryset.values("pk"), revoked_at__isnull=True)
    for token in rows:
        api_token_revoke(token=token, by=request.user)
    count = len(rows)
    modeladmin.message_user(
        request, ngettext("%(count)d key was revoked.", "%(count)d keys were revoked.", count) % {"count": count}
    )


@admin.register(ApiToken)
class ApiTokenAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_reason",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    actions = [revoke_selected]
    readonly_fields = [
        "user", "name", "prefix", "created_at", "created_by", "expires_at",
        "last_used_at", "revoked_at", "revoked_reason",
    ]  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = type("ApiTokenAddForm", (ApiTokenAddForm,), {"by": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["user", "name", "expires_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = api_key_holders(request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Nothing of a key is edited; "change" is what the revoke action needs.
        return super().has_change_permission(request, obj) and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # revoked keys stay listed, with the time they stopped working

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at, by=request.user)
        obj.pk = token.pk
        obj.refresh_from_db()
        obj._state.adding = False
        messages.warning(
            request,
            _("The new key for %(user)s: %(key)s — copy it now, it is not stored and cannot be shown again.")
            % {"user": token.user, "key": key},
        )
