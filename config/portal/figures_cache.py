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


def figures_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def figures_invalidate() -> None:
    """The figures are out of date: now, and again when the current transaction commits (once for
    the transaction, however many rows it writes)."""
    _new_version()
    connection = transaction.get_connection()
    if not any(callback is _new_version for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(_new_version)


def figures_cached(name: str, user, compute: Callable[[], T]) -> T:
    """`compute()` (plain data, never a queryset) for the user's visibility scope, from the cache when
    it holds the value of the current data version."""
    key = f"portal:figures:{FORMAT}:{figures_version()}:{visibility_scope(user)}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.PORTAL_FIGURES_CACHE_SECONDS)
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
