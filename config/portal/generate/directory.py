"""The generated directory: sectors, one ministry per region with its staff, companies, people, offers, needs."""

import dataclasses

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from stdnum.ru import inn as inn_number
from stdnum.ru import ogrn as ogrn_number

from agreements.models import Sphere
from companies.models import Need, Offer, Organization, Person, Region, Sector
from companies.roles import OFFICIALS_GROUP, STAFF_GROUP
from config.portal.demo import data as demo

from . import vocabulary as words
from .base import SLUG_PREFIX, Dice, Writer

Kind, LegalForm, Size = Organization.Kind, Organization.LegalForm, Organization.Size
FOREIGN_SHARE = 0.03  # of the companies; missions abroad meet them
EMAIL_DOMAIN = "generated.example"
REPRESENTED_SHARE = 1 / 500  # companies with a representative's login (the personal area)
UNUSABLE_PASSWORD = make_password(None)  # the generated logins sign in only through a session (the bench)


@dataclasses.dataclass
class Directory:
    """What later steps pick from: regions with weights, each region's ministry and companies."""

    regions: list[Region]
    weights: list[float]
    countries: list[Region]
    country_weights: list[float]
    sectors: list[Sector]
    spheres: list[Sphere]
    ministries: dict[int, Organization]  # region id → ministry (or a country's chamber of commerce)
    ministers: dict[int, Person]  # ministry id → its head
    staff: dict[int, object]  # region id → the ministry's staff login
    companies: dict[int, list[int]]  # region id → company ids
    directors: dict[int, int]  # company id → its director's Person id
    emails: dict[int, str]  # company id → its director's e-mail


def _sectors() -> tuple[list[Sector], list[Sphere]]:
    """The demo data set's sectors (made when missing; the ones without subsectors are returned: a company
    is in a subsector, and its parent covers it) and spheres."""
    by_slug = {}
    for slug, name, name_en, okved, parent_slug in demo.SECTORS:
        sector = Sector.objects.filter(slug=slug).first()
        if sector is None:
            sector = Sector.objects.create(
                slug=slug, name=name, name_en=name_en, okved_code=okved, parent=by_slug.get(parent_slug)
            )
        by_slug[slug] = sector
    spheres = []
    for slug, name, name_en in demo.SPHERES:
        sphere = Sphere.objects.filter(slug=slug).first() or Sphere.objects.create(
            slug=slug, name=name, name_en=name_en
        )
        spheres.append(sphere)
    parents = {s.parent_id for s in by_slug.values()}
    return [s for s in by_slug.values() if s.pk not in parents], spheres


def person_name(dice: Dice) -> tuple[str, str, str]:
    last = dice.choice(words.LAST_NAMES_M)
    if dice.chance(0.35):
        return last + "а", dice.choice(words.FIRST_NAMES_F), dice.choice(words.PATRONYMICS_F)
    return last, dice.choice(words.FIRST_NAMES_M), dice.choice(words.PATRONYMICS_M)


def _tail(org: Organization) -> str:
    return org.slug.removeprefix(SLUG_PREFIX)


def director_email(org: Organization) -> str:
    return f"info-{_tail(org)}@{EMAIL_DOMAIN}"


def _inn_ogrn(region: Region, serial: int, year: int) -> tuple[str, str]:
    """Valid check digits, unique by the serial; the region's code leads, as the tax offices number them."""
    code = region.code if region.code.isdigit() and len(region.code) == 2 else "77"
    inn = f"{code}{serial:07d}"
    inn += inn_number.calc_company_check_digit(inn)
    ogrn = f"1{year % 100:02d}{code}{serial:07d}0"
    ogrn = ogrn[:-1] + ogrn_number.calc_check_digit(ogrn)
    return inn, ogrn


def _company_name(dice: Dice, taken: set, region_id: int) -> tuple[str, str]:
    for attempt in range(50):
        if dice.chance(0.5):
            name = (
                f"{dice.choice(words.NAME_PLACES)} {dice.choice(words.NAME_PRODUCTS)} {dice.choice(words.NAME_KINDS)}"
            )
        else:
            name = f"{dice.choice(words.BRAND_STEMS)}{dice.choice(words.BRAND_TAILS)}"
        if attempt > 2:
            name = f"{name} {attempt + dice.randint(1, 999)}"
        if (region_id, name) not in taken:
            taken.add((region_id, name))
            return name, name if len(name) < 60 else ""
    raise AssertionError("no free organization name")  # 50 draws with a number appended cannot all be taken


def _users(dice: Dice, writer: Writer, ministries: dict[int, Organization], officials: int):
    """A staff login per ministry (its Person: a department head), a few officials."""
    User = get_user_model()
    password = UNUSABLE_PASSWORD
    staff_users = writer.create(
        [
            User(
                username=f"{SLUG_PREFIX}staff-{_tail(org)}",
                is_staff=True,
                password=password,
                email=f"staff-{_tail(org)}@{EMAIL_DOMAIN}",
            )
            for org in ministries.values()
        ]
    )
    official_users = writer.create(
        [User(username=f"{SLUG_PREFIX}official-{i + 1}", password=password) for i in range(officials)]
    )
    Through = User.groups.through
    staff_group, official_group = Group.objects.get(name=STAFF_GROUP), Group.objects.get(name=OFFICIALS_GROUP)
    writer.add_all(Through(user_id=u.pk, group_id=staff_group.pk) for u in staff_users)
    writer.add_all(Through(user_id=u.pk, group_id=official_group.pk) for u in official_users)
    staff = {}
    for (region_id, org), user in zip(ministries.items(), staff_users, strict=True):
        staff[region_id] = user
        last, first, patronymic = person_name(dice)
        writer.add(
            Person(
                organization=org,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=words.MINISTRY_POSITIONS[2],
                email=user.email,
                user=user,
            )
        )
    return staff


def directory_generate(dice: Dice, writer: Writer, *, companies: int, year: int) -> Directory:
    sectors, spheres = _sectors()
    subjects = list(Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).order_by("code", "pk"))
    countries = list(
        Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code__in=words.COUNTRY_WEIGHTS).order_by("code")
    )
    if not subjects:
        raise ValueError("The directory has no federal subjects: run migrate first.")
    weights = [words.REGION_WEIGHTS.get(r.code, words.DEFAULT_REGION_WEIGHT) for r in subjects]
    country_weights = [words.COUNTRY_WEIGHTS[c.code] for c in countries]

    ministries = {}
    for region in subjects:
        ministries[region.pk] = Organization(
            kind=Kind.GOVERNMENT,
            legal_form=LegalForm.STATE_BODY,
            name=f"Министерство промышленности и торговли ({region.name})",
            slug=f"{SLUG_PREFIX}ministry-{region.code or region.pk}",
            region=region,
            is_public=True,
        )
    for country in countries:
        ministries[country.pk] = Organization(
            kind=Kind.ASSOCIATION,
            name=f"Торгово-промышленная палата ({country.name})",
            slug=f"{SLUG_PREFIX}chamber-{country.code.lower()}",
            region=country,
            is_public=True,
        )
    writer.create(list(ministries.values()))
    ministers = {}
    for org in ministries.values():
        last, first, patronymic = person_name(dice)
        ministers[org.pk] = Person(
            organization=org, last_name=last, first_name=first, patronymic=patronymic,
            position=words.MINISTRY_POSITIONS[0] if org.kind == Kind.GOVERNMENT else "Президент",
        )  # fmt: skip
    writer.create(list(ministers.values()))
    staff = _users(dice, writer, ministries, officials=3)
    for region in subjects:  # what the region's page lists as its industries
        region.key_sectors.add(*dice.sample(sectors, 3))

    by_region: dict[int, list[int]] = {r.pk: [] for r in subjects + countries}
    taken: set = set()
    batch: list[Organization] = []
    directors: dict[int, int] = {}
    emails: dict[int, str] = {}
    SectorLink = Organization.sectors.through

    User = get_user_model()

    def write(batch):
        writer.create(batch)
        represented = [org for org in batch if org._represented]
        logins = writer.create(
            [User(username=f"{SLUG_PREFIX}company-{_tail(org)}", password=UNUSABLE_PASSWORD) for org in represented]
        )
        login_of = {org.pk: user for org, user in zip(represented, logins, strict=True)}
        people = []
        for org in batch:
            by_region[org.region_id].append(org.pk)
            writer.add_all(SectorLink(organization_id=org.pk, sector_id=s.pk) for s in org._sectors)
            last, first, patronymic = person_name(dice)
            people.append(
                Person(
                    organization=org,
                    last_name=last,
                    first_name=first,
                    patronymic=patronymic,
                    position=dice.choice(words.COMPANY_POSITIONS),
                    email=director_email(org),
                    language="ru" if org.region.kind == Region.Kind.FEDERAL_SUBJECT else "en",
                    user=login_of.get(org.pk),
                )
            )
            for model, share in ((Offer, 0.6), (Need, 0.4)):
                if dice.chance(share):
                    product = dice.choice(words.PRODUCTS)
                    writer.add(
                        model(
                            organization=org,
                            sector=org._sectors[0],
                            title=product.capitalize(),
                            description=f"{product.capitalize()}: {dice.choice(words.CAPABILITIES)}.",
                        )
                    )
        writer.create(people)
        directors.update((p.organization_id, p.pk) for p in people)
        emails.update((p.organization_id, p.email) for p in people)

    for serial in range(1, companies + 1):
        abroad = countries and dice.chance(FOREIGN_SHARE)
        region = dice.weighted(countries, country_weights) if abroad else dice.weighted(subjects, weights)
        name, short = _company_name(dice, taken, region.pk)
        inn = ogrn = ""
        if not abroad and dice.chance(0.9):
            inn, ogrn = _inn_ogrn(region, serial, dice.randint(year - 30, year - 1))
        products = dice.sample(words.PRODUCTS, 2)
        org = Organization(
            kind=Kind.COMPANY,
            name=name,
            short_name=f"«{short}»" if short and not abroad else "",
            slug=f"{SLUG_PREFIX}org-{serial}",
            legal_form="" if abroad else dice.weighted([LegalForm.OOO, LegalForm.AO, LegalForm.PAO], [70, 25, 5]),
            inn=inn,
            ogrn=ogrn,
            region=region,
            size=dice.weighted([Size.MICRO, Size.SMALL, Size.MEDIUM, Size.LARGE], [20, 45, 25, 10]),
            products=", ".join(products),
            capabilities=", ".join(dice.sample(words.CAPABILITIES, 2)),
            is_public=dice.chance(0.85),
        )
        org._sectors = dice.sample(sectors, dice.randint(1, 2))
        org._represented = serial == 1 or dice.chance(REPRESENTED_SHARE)
        batch.append(org)
        if len(batch) == 2000:
            write(batch)
            batch = []
        if serial % 20_000 == 0:
            writer.progress(f"organizations {serial:,}/{companies:,}")
    write(batch)
    writer.progress(f"organizations {companies:,}")
    return Directory(
        regions=subjects,
        weights=weights,
        countries=countries,
        country_weights=country_weights,
        sectors=sectors,
        spheres=spheres,
        ministries=ministries,
        ministers=ministers,
        staff=staff,
        companies={k: v for k, v in by_region.items() if v},
        directors=directors,
        emails=emails,
    )
