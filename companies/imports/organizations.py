"""The directory's import: organizations with their people, one person (or none) a row.

An organization is found by its INN, else by its name within its region; a row with new values
(an INN, an OGRN, a new name under a known INN) updates it, a person's new position, phone or
e-mail updates the person. The same file imported again changes nothing."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..roles import user_organization
from .base import CREATED, UNCHANGED, UPDATED, Context, Importer, register
from .directory import (
    INN,
    OGRN,
    ORGANIZATION,
    ORGANIZATION_FIELDS,
    PERSON_COLUMNS,
    PERSON_FIELDS,
    REGION,
    organization_for_row,
    person_for_row,
)


def combined(*actions: str) -> str:
    """What a row did overall: created if it created anything, else updated if it changed anything."""
    if CREATED in actions:
        return CREATED
    if UPDATED in actions:
        return UPDATED
    return UNCHANGED


class OrganizationsImporter(Importer):
    kind = "organizations"
    title = _("Organizations and their people")
    columns = (ORGANIZATION, INN, OGRN, REGION, *PERSON_COLUMNS)
    field_columns = {**PERSON_FIELDS, **ORGANIZATION_FIELDS}

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        own = user_organization(context.by)
        organization, org_action = organization_for_row(
            context, cells, default_region=own.region if own else None, update=True
        )
        person, person_action = person_for_row(context, cells, organization, update=True)
        described = (
            str(organization)
            if person is None
            else gettext("%(person)s, %(organization)s")
            % {
                "person": person.full_name,
                "organization": organization,
            }
        )
        return combined(org_action, person_action), described


organizations_import = register(OrganizationsImporter())
