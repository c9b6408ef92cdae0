"""Writes that matter in the directory."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify

from .data.regions import FEDERAL_DISTRICTS, REGIONS
from .models import FederalDistrict, Region
from .roles import OFFICIALS_GROUP, STAFF_GROUP


def region_directory_sync(*, district_model=FederalDistrict, region_model=Region) -> tuple[int, int]:
    """Create the eight federal districts and 89 federal subjects that are missing.

    Rows that exist (matched by code) are left as staff edited them: the directory is ordinary data.
    Takes the model classes so that the data migration can pass its historical models.
    Returns the number of districts and regions created.
    """
    districts_created = regions_created = 0
    districts = {}
    for position, row in enumerate(FEDERAL_DISTRICTS, start=1):
        district, created = district_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "position": position,
                "name": row["name_ru"],
                "name_en": row["name_en"],
                "abbreviation": row["abbr_ru"],
                "centre": row["centre_ru"],
            },
        )
        districts[row["code"]] = district
        districts_created += created
    for row in REGIONS:
        _region, created = region_model.objects.get_or_create(
            kind="federal_subject",
            code=row["code"],
            defaults={
                "name": row["name_ru"],
                "name_en": row["name_en"],
                "slug": row["slug"],
                "federal_district": districts[row["federal_district"]],
                "capital": row["capital_ru"],
                "capital_en": row["capital_en"],
            },
        )
        regions_created += created
    return districts_created, regions_created


def unique_slug(model, text: str, *, max_length: int = 100, exclude_pk=None) -> str:
    """A slug for `text` that no other row of `model` has: 'avtokomponent', 'avtokomponent-2'…"""
    base = slugify(_transliterate(text))[: max_length - 4].strip("-") or model._meta.model_name
    slug, n = base, 2
    qs = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


def _transliterate(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


@transaction.atomic
def records_set_public(*, queryset, is_public: bool) -> int:
    """Publish or hide the selected rows (organizations, missions, agreements, projects).

    Saves row by row so that change history records who published what; one transaction, so a
    bulk action lands whole or not at all. Returns how many rows changed.
    """
    changed = 0
    # Lock through a plain query on the pks: PostgreSQL refuses FOR UPDATE on the DISTINCT and
    # nullable outer joins that admin and selector querysets carry.
    rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk")).order_by("pk")
    for record in rows.select_for_update().exclude(is_public=is_public):
        record.is_public = is_public
        record.save(update_fields=["is_public"])
        changed += 1
    return changed


def roles_sync_groups(**kwargs) -> None:
    """Create or update the role groups and their permissions (run after every migrate).

    "Ministry staff" may add, change, delete and view the portal's records (which rows, the admin
    decides through companies.roles.can_edit); "Officials" may view everything, unpublished too.
    """
    portal_apps = ("companies", "missions", "agreements")
    portal = Permission.objects.filter(content_type__app_label__in=portal_apps)
    staff_directory = ("federaldistrict", "region", "sector", "sphere")
    staff, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.set(
        portal.exclude(content_type__model__in=staff_directory, codename__regex=r"^(add|change|delete)_")
    )
    officials, _created = Group.objects.get_or_create(name=OFFICIALS_GROUP)
    officials.permissions.set(portal.filter(codename__startswith="view_"))
