"""API keys: made and revoked by their user (personal area) or by staff (admin); checked on every API call.

A key is 'mp_' + 43 random URL-safe characters (256 bits): only its SHA-256 digest is stored, so a
stolen database does not hand out working keys; with that much entropy a slow hash adds nothing.
"""

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions

from .exceptions import PortalError
from .models import ApiToken, RevokedReason
from .roles import may_issue_api_key

KEY_PREFIX = "mp_"
MAX_ACTIVE_KEYS = 20
# A key used within this interval is not written again: one UPDATE per key and minute at most.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_check(*, user, name: str, by=None, expires_at: datetime.datetime | None = None) -> None:
    """Refuse what api_token_create would refuse, so a form can say so before anything is saved.
    `by` is who makes the key (None: the user themselves)."""
    if not may_issue_api_key(by or user, user):
        refusal = _(
            "A key acts with all of its user's rights: make keys only for yourself or for logins of your "
            "organization that are neither staff nor superusers."
        )
        raise PortalError({"user": ValidationError(refusal, code="rights_exceed")})
    if not (name or "").strip():
        raise PortalError({"name": _("Name the key after what will use it, e.g. “1C integration”.")}, code="no_name")
    if expires_at is not None and expires_at <= timezone.now():
        raise PortalError({"expires_at": _("The expiry date must be in the future.")}, code="expired")
    if not user.is_active:
        raise PortalError(_("The user is deactivated: a key would not work."), code="inactive_user")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_KEYS:
        raise PortalError(
            _("A user has at most %(n)d active keys: revoke one first.") % {"n": MAX_ACTIVE_KEYS}, code="too_many"
        )


@transaction.atomic
def api_token_create(*, user, name: str, by=None, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new key for `user`; returns the row and the key, which is never shown again."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one key at a time: the count holds
    api_token_check(user=user, name=name, by=by, expires_at=expires_at)
    name = name.strip()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name[:100], prefix=key[:10], digest=_digest(key), expires_at=expires_at, created_by=by
    )
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, by=None, reason: str = RevokedReason.BY_HAND) -> ApiToken:
    """Stop a key working at once (a revoked key stays listed, with the time and the reason)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def api_tokens_revoke_all(*, user, reason: str) -> int:
    """Stop every key of `user` working at once; how many were still working."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


class RevokeKeysOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls whenever a
    password is set and saved — by its user, a reset link, an admin or `changepassword` — but not when a
    hash is only upgraded at sign-in. Whoever learnt the old password may have made a key with it: the
    user's keys stop working. (The user's sessions stop on their own: Django signs a session with the
    password's hash.) It refuses no password."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user, reason=RevokedReason.PASSWORD_CHANGED)

    def get_help_text(self):
        return _("Changing the password revokes all API keys of the account.")


def api_token_user(key: str):
    """The active user a key belongs to, or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token mp_…` (or `Bearer mp_…`). No CSRF: the key is not sent by browsers on their own."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(gettext_lazy("Give the key after the word Token, with one space."))
        found = api_token_user(parts[1].decode(errors="replace"))
        if found is None:
            raise exceptions.AuthenticationFailed(gettext_lazy("The API key is not valid, expired or revoked."))
        return found

    def authenticate_header(self, request):
        return "Token"
