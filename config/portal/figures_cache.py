"""The dashboard's and the front page's figures, kept in Django's cache per visibility scope.

A figure is computed once per scope (`companies.roles.visibility_scope`: two users of one scope see
the same rows), language (labels and their order are translated) and *data version*, and served from
the cache until a write changes the version. The version is a random token kept in the cache; a new
token orphans every entry made under the old one. A token, not a counter, so that a version key lost
to eviction cannot come back as a number whose entries are still there.

When the version changes: on every save and delete of the models the figures read, and every change
of their many-to-many rows (`WATCHED`, connected by `PortalConfig.ready`). Signals rather than calls
in the services: the admin's inlines, imports, `records_set_public` and fixtures all go through
`Model.save()`/`delete()`, and one hook at the model catches them all; a service that writes with
`QuerySet.update()` or `bulk_create()` over these models must call `figures_invalidate()` itself
(none does today for a field a figure reads). The token is replaced twice: at once, so that the
writing transaction (and a test, which never commits) reads its own write; and again when the
transaction commits, so that figures another request computed meanwhile from the rows before the
write (and stored under the first new token) are never served. `PORTAL_FIGURES_CACHE_SECONDS` (the
entries' lifetime) bounds what a write past the signals could leave stale.
"""

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from agreements.models import Agreement, CooperationProject, PlanItem, ReminderPolicy, StaleAfter
from companies.models import Organization, Region, Sector
from companies.roles import visibility_scope
from missions.models import DelegationMember, Meeting, Mission

T = TypeVar("T")
logger = logging.getLogger(__name__)

VERSION_KEY = "portal:figures:version"
# The shape of the cached values: change it with any change of what an entry holds (a field of a
# dataclass, a tuple for an object), so that a deploy never reads an entry of the code before it.
FORMAT = 2

# What the figures read: the rows counted, the names their labels show, and what puts a plan item or a
# project on the follow-up lists (its own row, its agreement, the follow-up policy).
WATCHED = (
    Mission,
    DelegationMember,
    Meeting,
    Organization,
    CooperationProject,
    Agreement,
    PlanItem,
    ReminderPolicy,
    StaleAfter,
    Region,
    Sector,
)
WATCHED_M2M = (
    Mission.destination_regions.through,
    Organization.sectors.through,
    Meeting.sectors.through,
    CooperationProject.sectors.through,
)


# The cache is a help, never a dependency: with Redis unreachable the figures are computed on every
# request, and a write still succeeds (its new version is lost with the server's contents; an entry
# that outlives an outage is served at most PORTAL_FIGURES_CACHE_SECONDS).
_UNAVAILABLE = object()


def _cache_call(method: str, *args, **kwargs):
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception:  # noqa: BLE001 - any failure of the cache server (refused, timed out, reset)
        logger.warning("The figures' cache is unavailable (%s); computing without it.", method, exc_info=True)
        return _UNAVAILABLE


def figures_version() -> str | None:
    """The current data version, or None when the cache cannot be reached."""
    version = _cache_call("get", VERSION_KEY)
    if version is None:
        _cache_call("add", VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = _cache_call("get", VERSION_KEY)
    return None if version is _UNAVAILABLE else version


def _new_version() -> None:
    _cache_call("set", VERSION_KEY, uuid.uuid4().hex, timeout=None)


def figures_invalidate() -> None:
    """The figures are out of date: now, and again when the current transaction commits (once for
    the transaction, however many rows it writes)."""
    _new_version()
    connection = transaction.get_connection()
    if not any(callback is _new_version for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(_new_version)


def figures_cached(name: str, user, compute: Callable[[], T]) -> T:
    """`compute()` (plain data, never a queryset) for the user's visibility scope, from the cache when
    it holds the value of the current data version (computed each time when the cache is down)."""
    version = figures_version()
    if version is None:
        return compute()
    key = f"portal:figures:{FORMAT}:{version}:{visibility_scope(user)}:{get_language()}:{name}"
    value = _cache_call("get", key)
    if value is None or value is _UNAVAILABLE:
        value = compute()
        _cache_call("set", key, value, timeout=settings.PORTAL_FIGURES_CACHE_SECONDS)
    return value


def _written(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        figures_invalidate()


def connect_signals() -> None:
    for model in WATCHED:
        uid = f"portal.figures.{model._meta.label_lower}"
        post_save.connect(_written, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_written, sender=model, dispatch_uid=f"{uid}.deleted")
    for through in WATCHED_M2M:
        m2m_changed.connect(_written, sender=through, dispatch_uid=f"portal.figures.{through._meta.label_lower}")
