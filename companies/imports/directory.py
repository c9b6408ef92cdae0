"""Organizations and people as import rows name them: found by INN, else by their name (folded as
headers are: case, ё/е, punctuation) within the region, and created through
companies.services.directory_row_create when new. Shared by every import that names organizations
and people (the directory's own, a delegation list, a B2B schedule, cooperation projects, a plan)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Organization, Person, Region
from ..services import directory_row_create, directory_row_update, unique_slug
from ..validators import validate_inn, validate_ogrn
from .base import CREATED, UNCHANGED, UPDATED, Context, RowError, text
from .columns import Column, header_key

# The headers are the files' format, written in Russian as ministries write them, whatever the
# language of the page; what they mean (the template's sheet of notes) is translated.

ORGANIZATION = Column(
    "organization",
    "Организация",
    ("Наименование", "Компания", "Название организации", "Наименование организации", "Предприятие"),
    required=True,
    example="ООО «Автокомпонент»",
    help=_("The full name of the organization, as registered. A new organization is added to the directory."),
)
INN = Column(
    "inn",
    "ИНН",
    ("ИНН организации",),
    example="7325000006",
    help=_(
        "10 digits (organization) or 12 digits (individual entrepreneur). The INN finds an organization already "
        "in the directory; without it, the name and region do."
    ),
)
OGRN = Column("ogrn", "ОГРН", ("ОГРНИП",), help=_("13 digits (OGRNIP: 15), with the check digit."))
REGION = Column(
    "region",
    "Регион",
    ("Субъект", "Субъект РФ", "Регион организации", "Страна"),
    example="Ульяновская область",
    help=_(
        "A federal subject or a country, as named in the directory of regions. Empty: this import's default region."
    ),
)
FULL_NAME = Column(
    "full_name",
    "ФИО",
    ("Ф.И.О.", "Представитель", "Контактное лицо", "Участник"),
    example="Иванов Иван Иванович",
    help=_(
        "Last name, first name and patronymic in one cell (or the columns «Фамилия», «Имя», «Отчество»). A person "
        "whose name is not known may be given by position only."
    ),
)
LAST_NAME = Column("last_name", "Фамилия", help=_("The last name, when the name is split into columns."))
FIRST_NAME = Column("first_name", "Имя", help=_("The first name, when the name is split into columns."))
PATRONYMIC = Column("patronymic", "Отчество", help=_("The patronymic, when the name is split into columns."))
POSITION = Column("position", "Должность", example="Генеральный директор", help=_("The person's position."))
PHONE = Column(
    "phone", "Телефон", ("Тел", "Контактный телефон"), example="+7 8422 00-00-00", help=_("The phone number.")
)
EMAIL = Column(
    "email",
    "E-mail",
    ("Email", "Эл. почта", "Электронная почта", "Почта", "E-mail адрес"),
    example="info@example.ru",
    help=_("The e-mail address."),
)
PERSON_COLUMNS = (FULL_NAME, LAST_NAME, FIRST_NAME, PATRONYMIC, POSITION, PHONE, EMAIL)

ORGANIZATION_FIELDS = {"name": "organization", "inn": "inn", "ogrn": "ogrn", "region": "region", "slug": "organization"}
PERSON_FIELDS = {
    "last_name": "full_name",
    "first_name": "full_name",
    "patronymic": "full_name",
    "position": "position",
    "phone": "phone",
    "email": "email",
    "__all__": "full_name",
}


def _digits(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace())


def region_named(context: Context, cells: dict, *, key: str = "region", default: Region | None = None) -> Region:
    name = text(cells, key)
    if not name:
        if default is None:
            raise RowError(key, gettext("Give the region of the organization."))
        return default
    regions = context.cache.get("regions")
    if regions is None:
        regions = {}
        for region in Region.objects.all():
            regions.setdefault(header_key(region.name), region)
            if region.name_en:
                regions.setdefault(header_key(region.name_en), region)
        context.cache["regions"] = regions
    region = regions.get(header_key(name))
    if region is None:
        raise RowError(key, gettext("The region “%(name)s” is not in the directory of regions.") % {"name": name})
    return region


def organization_for_row(
    context: Context,
    cells: dict,
    *,
    key: str = "organization",
    inn_key: str = "inn",
    region_key: str = "region",
    default_region: Region | None = None,
    update: bool = False,
) -> tuple[Organization, str]:
    """The organization a row names, found or created (and, with `update`, given the row's values);
    with what was done to it: CREATED, UPDATED or UNCHANGED."""
    name = text(cells, key)
    if not name:
        raise RowError(key, gettext("The name of the organization is missing."))
    inn = _digits(text(cells, inn_key))
    if inn:
        try:
            validate_inn(inn)
        except ValidationError as exc:
            raise RowError(inn_key, " ".join(exc.messages)) from None
    ogrn = _digits(text(cells, "ogrn"))
    if ogrn:
        try:
            validate_ogrn(ogrn)
        except ValidationError as exc:
            raise RowError("ogrn", " ".join(exc.messages)) from None
    organization = Organization.objects.filter(inn=inn).first() if inn else None
    region = None
    if organization is None:
        region = region_named(context, cells, key=region_key, default=default_region)
        organization = _by_name(region, name)
    if organization is None:
        organization = Organization(
            name=name, inn=inn, ogrn=ogrn, region=region, slug=unique_slug(Organization, name, max_length=120)
        )
        directory_row_create(organization, by=context.by)
        return organization, CREATED
    if not update:
        return organization, UNCHANGED
    changes = {}
    for field, value in (("inn", inn), ("ogrn", ogrn)):
        if value and getattr(organization, field) != value:
            changes[field] = value
    if inn and organization.name != name:
        changes["name"] = name
    if not changes:
        return organization, UNCHANGED
    directory_row_update(organization, by=context.by, **changes)
    return organization, UPDATED


def _by_name(region: Region, name: str) -> Organization | None:
    key = header_key(name)
    candidates = Organization.objects.filter(region=region).only("pk", "name", "short_name", "inn")
    for organization in candidates.filter(name__iexact=name):
        return Organization.objects.get(pk=organization.pk)
    for organization in candidates:
        if key in (header_key(organization.name), header_key(organization.short_name)):
            return Organization.objects.get(pk=organization.pk)
    return None


def person_names(cells: dict) -> tuple[str, str, str]:
    """(last name, first name, patronymic) from «ФИО» ("Иванов Иван Иванович") or the three columns."""
    full = text(cells, "full_name")
    if full:
        parts = full.split()
        return parts[0], " ".join(parts[1:2]), " ".join(parts[2:])
    return text(cells, "last_name"), text(cells, "first_name"), text(cells, "patronymic")


def person_for_row(
    context: Context, cells: dict, organization: Organization, *, update: bool = False
) -> tuple[Person | None, str]:
    """The person a row names in `organization`, found or created; None when the row names no one."""
    last_name, first_name, patronymic = person_names(cells)
    position = text(cells, "position")
    if not last_name and not position:
        return None, UNCHANGED
    people = Person.objects.filter(organization=organization)
    if last_name:
        person = people.filter(
            last_name__iexact=last_name, first_name__iexact=first_name, patronymic__iexact=patronymic
        ).first() or _person_folded(people, (last_name, first_name, patronymic))
    else:
        person = people.filter(last_name="", position__iexact=position).first()
    contacts = {"phone": text(cells, "phone"), "email": text(cells, "email")}
    if person is None:
        person = Person(
            organization=organization,
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            position=position,
            **contacts,
        )
        directory_row_create(person, by=context.by)
        return person, CREATED
    if not update:
        return person, UNCHANGED
    changes = {name: value for name, value in {"position": position, **contacts}.items() if value}
    changes = {name: value for name, value in changes.items() if getattr(person, name) != value}
    if not changes:
        return person, UNCHANGED
    directory_row_update(person, by=context.by, **changes)
    return person, UPDATED


def _person_folded(people, names: tuple[str, str, str]) -> Person | None:
    wanted = tuple(header_key(part) for part in names)
    for person in people.exclude(last_name=""):
        if (header_key(person.last_name), header_key(person.first_name), header_key(person.patronymic)) == wanted:
            return person
    return None


def person_fio(person: Person) -> str:
    """A person's name as a «ФИО» cell holds it: "Иванов Иван Иванович" (empty for one known by position)."""
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)
