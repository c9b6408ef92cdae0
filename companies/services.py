"""Writes that matter in the directory."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .data.countries import COUNTRY_ALIASES_RU, countries
from .data.regions import FEDERAL_DISTRICTS, REGIONS
from .exceptions import PortalError
from .models import FederalDistrict, Region
from .roles import OFFICIALS_GROUP, STAFF_GROUP, can_edit, login_binding_fields, user_organization


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
    # Migration 0002 passes a Region from before time zones; migration 0011 fills them in.
    has_time_zone = any(field.name == "time_zone" for field in region_model._meta.get_fields())
    has_aliases = any(field.name == "aliases" for field in region_model._meta.get_fields())
    for row in REGIONS:
        defaults = {
            "name": row["name_ru"],
            "name_en": row["name_en"],
            "slug": row["slug"],
            "federal_district": districts[row["federal_district"]],
            "capital": row["capital_ru"],
            "capital_en": row["capital_en"],
        }
        if has_time_zone:
            defaults["time_zone"] = row["time_zone"]
        if has_aliases:
            defaults["aliases"] = Region.aliases_text(row["aliases_ru"])
        _region, created = region_model.objects.get_or_create(
            kind="federal_subject", code=row["code"], defaults=defaults
        )
        regions_created += created
    return districts_created, regions_created


def region_time_zones_fill(*, region_model=Region) -> int:
    """Give the federal subjects that have no time zone the one companies.data.regions lists.

    A zone staff set is kept. Returns the number of regions changed.
    """
    changed = 0
    for row in REGIONS:
        changed += region_model.objects.filter(kind="federal_subject", code=row["code"], time_zone="").update(
            time_zone=row["time_zone"]
        )
    return changed


def region_aliases_fill(*, region_model=Region) -> int:
    """Give the federal subjects and the countries that have no other names the ones the shipped data
    lists (companies.data.regions "aliases_ru", companies.data.countries COUNTRY_ALIASES_RU).

    Names staff entered are kept: only an empty field is filled. Takes the model class so that the
    data migration can pass its historical model. Returns the number of regions changed.
    """
    changed = 0
    for kind, rows in (
        ("federal_subject", {row["code"]: row["aliases_ru"] for row in REGIONS}),
        ("foreign_country", COUNTRY_ALIASES_RU),
    ):
        for code, aliases in rows.items():
            changed += region_model.objects.filter(kind=kind, code=code, aliases="").update(
                aliases=Region.aliases_text(aliases)
            )
    return changed


def country_directory_sync(*, region_model=Region) -> int:
    """Create the world's countries (ISO 3166-1, Russia aside) that are missing from the directory.

    A country that exists, matched by its ISO code, is left as staff edited it. A row that already
    bears a country's Russian name (a country entered by hand before the list shipped) is taken
    for that country: it gets the code if it is a country without one, so the next run matches it
    by code, and is otherwise left alone. Takes the model class so that the data migration can
    pass its historical model. Returns the number of countries created.
    """
    has_aliases = any(field.name == "aliases" for field in region_model._meta.get_fields())
    rows = region_model.objects.all()
    codes = set(rows.filter(kind="foreign_country").exclude(code="").values_list("code", flat=True))
    by_name = {region.name: region for region in rows.only("pk", "name", "kind", "code")}
    slugs = set(rows.values_list("slug", flat=True))
    new = []
    for country in countries():
        if country["code"] in codes:
            continue
        namesake = by_name.get(country["name_ru"])
        if namesake is not None:
            if namesake.kind == "foreign_country" and not namesake.code:
                region_model.objects.filter(pk=namesake.pk).update(code=country["code"])
            continue
        slug = base = slugify(country["name_en"])[:96].strip("-") or country["code"].lower()
        if slug in slugs:
            slug = f"{base}-{country['code'].lower()}"
        slugs.add(slug)
        new.append(
            region_model(
                kind="foreign_country",
                code=country["code"],
                name=country["name_ru"],
                name_en=country["name_en"],
                slug=slug,
                time_zone=country["time_zone"],
                **(
                    {"aliases": Region.aliases_text(COUNTRY_ALIASES_RU.get(country["code"], ()))} if has_aliases else {}
                ),
            )
        )
    region_model.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def directory_row_create(row: Model, *, by) -> Model:
    """Save a new row of the directory (an organization, person, region or place) that `by` entered.

    The row is recorded as entered by the user's organization, whose staff keep editing it wherever
    it is (companies.ownership's `kept_by`). The federal subjects ship with the portal: only a
    superuser adds one.
    """
    if isinstance(row, Region) and row.kind == Region.Kind.FEDERAL_SUBJECT and not by.is_superuser:
        raise PortalError(
            {"kind": _("The federal subjects ship with the portal: add a foreign country or a region of one.")}
        )
    row.recorded_by = user_organization(by)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def directory_row_update(row: Model, *, by, **changes) -> Model:
    """Change fields of a directory row (an organization or person an import updates) that `by`
    keeps (companies.roles.can_edit); the fields that decide a login's rights stay a superuser's."""
    if not can_edit(by, row):
        raise PortalError(_("“%(row)s” is kept by another organization: you may not change it.") % {"row": row})
    bound = set(changes) & set(login_binding_fields(by, row))
    if bound:
        raise PortalError(_("Only a superuser changes the fields that decide a login's rights."))
    for name, value in changes.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


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

    "Ministry staff" may add, change, delete and view the portal's records, regions and places
    included (which rows, the admin decides through companies.roles.can_edit), and only view the
    fixed directory of districts, sectors and spheres; "Officials" may view everything, unpublished
    too.
    """
    portal = Permission.objects.filter(content_type__app_label__in=settings.PORTAL_APPS)
    staff_directory = ("federaldistrict", "sector", "sphere")
    staff, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.set(
        portal.exclude(content_type__model__in=staff_directory, codename__regex=r"^(add|change|delete)_")
    )
    officials, _created = Group.objects.get_or_create(name=OFFICIALS_GROUP)
    officials.permissions.set(portal.filter(codename__startswith="view_"))
