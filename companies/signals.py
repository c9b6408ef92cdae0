"""Keeping the directory search's stored texts current (companies.search.organizations_refresh_search).

An organization stores the texts of its sectors and of its active offers and needs, so a search reads
its own row only. Every write of those reaches one of these receivers, whoever makes it (services,
the admin, the API, forms): an offer or need saved or deleted, sectors added to or removed from an
organization (from either side), a sector renamed or moved (its organizations and those of its
subsectors, whose texts name it as the parent), a sector deleted. Each costs one UPDATE of the
organizations concerned. Writers that bypass signals (bulk_create, QuerySet.update, the data
generator's COPY) call organizations_refresh_search themselves.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Need, Offer, Organization, Sector
from .search import organizations_refresh_search

SectorLink = Organization.sectors.through


def _refresh(organization_ids) -> None:
    ids = list(organization_ids)
    if ids:
        organizations_refresh_search(Organization.objects.filter(pk__in=ids))


@receiver(post_save, sender=Offer, dispatch_uid="companies.search.offer_saved")
@receiver(post_save, sender=Need, dispatch_uid="companies.search.need_saved")
@receiver(post_delete, sender=Offer, dispatch_uid="companies.search.offer_deleted")
@receiver(post_delete, sender=Need, dispatch_uid="companies.search.need_deleted")
def cooperation_item_written(sender, instance, **kwargs):
    _refresh([instance.organization_id])  # loaddata too: a fixture's organizations hold no stored texts


@receiver(m2m_changed, sender=SectorLink, dispatch_uid="companies.search.sectors_changed")
def organization_sectors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # sector.organizations.clear(): who had it, before it goes
        instance._search_organization_ids = list(
            SectorLink.objects.filter(sector=instance).values_list("organization_id", flat=True)
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _refresh([instance.pk])
    elif action == "post_clear":
        _refresh(getattr(instance, "_search_organization_ids", []))
    else:
        _refresh(pk_set or [])


def _organizations_of_sector(sector: Sector) -> list[int]:
    links = SectorLink.objects.filter(Q(sector=sector.pk) | Q(sector__parent=sector.pk))
    return list(links.values_list("organization_id", flat=True).distinct())


@receiver(post_save, sender=Sector, dispatch_uid="companies.search.sector_saved")
def sector_saved(sender, instance, created, **kwargs):
    if not created:  # a new sector has no organizations yet
        _refresh(_organizations_of_sector(instance))


@receiver(pre_delete, sender=Sector, dispatch_uid="companies.search.sector_deleting")
def sector_deleting(sender, instance, **kwargs):
    instance._search_organization_ids = _organizations_of_sector(instance)


@receiver(post_delete, sender=Sector, dispatch_uid="companies.search.sector_deleted")
def sector_deleted(sender, instance, **kwargs):
    _refresh(getattr(instance, "_search_organization_ids", []))
