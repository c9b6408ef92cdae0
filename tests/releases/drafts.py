"""Drafts built in tests: a short release written for the tests (not a seed text), with the spans of
every item computed from where its words stand, in the shape the extraction gives."""

from decimal import Decimal

from companies.models import Region
from releases.draft import (
    AgreementItem,
    CityItem,
    DateItem,
    Draft,
    FigureItem,
    OrganizationItem,
    PersonItem,
    ProgrammeItem,
    RegionItem,
    Span,
)

CHELYABINSK = "Челябинская область"
YUGRA = "Ханты-Мансийский автономный округ — Югра"
PLAN = (
    "план мероприятий по реализации Соглашения между правительствами ХМАО и Челябинской области "
    "о сотрудничестве на 2022-2024 годы"
)
NEW_COMPANIES = ["Завод Северный привод", "Уральские насосы", "Кабельный двор"]

TEXT = (
    "Губернатор Челябинской области Пётр Сидоренко открыл бизнес-миссию в Югре\n"
    "В Ханты-Мансийском автономном округе 9 августа 2025 года открылась бизнес-миссия Челябинской области. "
    "В Ханты-Мансийске прошёл круглый стол по кооперации. "
    "В составе делегации: «Завод Северный привод», «Уральские насосы», «Кабельный двор», «Тестовый станкозавод». "
    "Главы регионов подписали " + PLAN + ". "
    "Губернатор Югры Мария Лебедева отметила, что в округе около 70 компаний готовы к кооперации. "
    "По итогам заключено более 50 новых контрактов на сумму свыше 2 млрд рублей, и до 10 соглашений. "
    "Правительство ХМАО и Правительство Челябинской области договорились о встрече."
)


def span(text: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return Span(start, start + len(text), text)


def yugra_draft(*, existing_company=None, figures=True) -> Draft:
    """The release above as the extraction reads it: Chelyabinsk → Yugra, four companies (one of them
    matched to `existing_company` when given), two governments, two governors, one plan agreement."""
    chelyabinsk = Region.objects.get(name=CHELYABINSK)
    yugra = Region.objects.get(name=YUGRA)
    companies = [OrganizationItem(name=name, kind="company", spans=[span(name)]) for name in NEW_COMPANIES]
    companies.append(
        OrganizationItem(
            name=existing_company.name if existing_company else "Тестовый станкозавод",
            kind="company",
            organization_id=existing_company.pk if existing_company else None,
            region_name=CHELYABINSK if existing_company else None,
            score=96.0 if existing_company else None,
            spans=[span("Тестовый станкозавод")],
        )
    )
    governments = [
        OrganizationItem(name="Правительство ХМАО", kind="government", spans=[span("Правительство ХМАО")]),
        OrganizationItem(
            name="Правительство Челябинской области",
            kind="government",
            spans=[span("Правительство Челябинской области")],
        ),
    ]
    return Draft(
        text=TEXT,
        published=None,
        title="Губернатор Челябинской области Пётр Сидоренко открыл бизнес-миссию в Югре",
        origin_regions=[RegionItem(CHELYABINSK, chelyabinsk.pk, [span("Челябинской области")])],
        destination_regions=[
            RegionItem(YUGRA, yugra.pk, [span("Ханты-Мансийском автономном округе"), span("Югре"), span("ХМАО")])
        ],
        cities=[CityItem("Ханты-Мансийск", YUGRA, None, [span("Ханты-Мансийске")])],
        organizations=companies + governments,
        people=[
            PersonItem("Пётр Сидоренко", "губернатор Челябинской области", None, None, [span("Пётр Сидоренко")]),
            PersonItem("Мария Лебедева", "губернатор Югры", None, None, [span("Мария Лебедева")]),
        ],
        dates=[
            DateItem("9 августа 2025 года", "2025-08-09", "mission start", [span("9 августа 2025 года")]),
            DateItem("на 2022-2024 годы", "2022", "period", [span("на 2022-2024 годы")]),
            DateItem("на 2022-2024 годы", "2024", "period", [span("на 2022-2024 годы")]),
        ],
        figures=[
            FigureItem(
                "более 50 новых контрактов",
                "contracts",
                "more_than",
                Decimal(50),
                None,
                [span("более 50 новых контрактов")],
            ),
            FigureItem(
                "свыше 2 млрд рублей",
                "value",
                "more_than",
                Decimal(2_000_000_000),
                "RUB",
                [span("свыше 2 млрд рублей")],
            ),
            FigureItem("до 10 соглашений", "agreements", "up_to", Decimal(10), None, [span("до 10 соглашений")]),
            FigureItem("около 70 компаний", "other", "about", Decimal(70), None, [span("около 70 компаний")]),
        ]
        if figures
        else [],
        agreements=[AgreementItem(PLAN, [YUGRA, CHELYABINSK], "intergovernmental", True, [span(PLAN)])],
        programme=[
            ProgrammeItem(
                "round_table", "Круглый стол по кооперации", "2025-08-09", [span("круглый стол по кооперации")]
            )
        ],
        head_of_delegation="Пётр Сидоренко",
    )
