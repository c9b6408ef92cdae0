"""Agreements: documents and their titles, parties, kinds and signing; counts and arrangements left out."""

from releases.draft import RegionItem
from releases.extraction.agreements import find_agreements
from releases.extraction.organizations import find_organizations
from releases.extraction.people import find_people

from .conftest import analyse_once

KURSK_KOMI = [RegionItem("Курская область"), RegionItem("Республика Коми")]


def agreements(text: str, regions=()) -> list[tuple[str, list[str], str, bool]]:
    analysed = analyse_once(text)
    found = find_agreements(analysed, find_organizations(analysed), list(regions))
    return [(a.title, a.parties, a.kind, a.signed) for a in found]


def test_a_plan_and_the_agreement_it_implements_are_two_with_their_own_parties():
    text = (
        "Главы регионов подписали документы о сотрудничестве, в их числе — план мероприятий по реализации "
        "Соглашения между правительствами Курской области и Республики Коми о сотрудничестве в торговой и "
        "научной сферах на 2025-2027 годы."
    )
    assert agreements(text, KURSK_KOMI) == [
        (
            "план мероприятий по реализации Соглашения между правительствами Курской области и Республики Коми "
            "о сотрудничестве в торговой и научной сферах на 2025-2027 годы",
            ["Курская область", "Республика Коми"],
            "intergovernmental",
            True,
        ),
        (
            "Соглашение между правительствами Курской области и Республики Коми о сотрудничестве в торговой и "
            "научной сферах на 2025-2027 годы",
            ["Правительство Курской области", "Правительство Республики Коми"],
            "intergovernmental",
            True,
        ),
    ]


def test_governors_signing_make_the_regions_parties_even_without_the_directory():
    text = (
        "Губернаторы Курской и Белгородской областей подписали соглашение о сотрудничестве, которое позволит "
        "развивать связи."
    )
    assert agreements(text) == [
        ("соглашение о сотрудничестве", ["Курская область", "Белгородская область"], "intergovernmental", True)
    ]


def test_companies_ministries_institutions_and_memoranda():
    text = (
        "Стороны подписали соглашение о сотрудничестве между Министерством промышленности и торговли Курской "
        "области и Министерством промышленности и торговли Республики Коми. Также был подписан договор "
        "поставки кабельной продукции между ООО «Курский кабель» и ПАО «Северсталь». Кроме того, Фонд развития "
        "промышленности Курской области и Торгово-промышленная палата Республики Коми подписали меморандум о "
        "взаимопонимании. Компания «Сигнал-М» с курским «Электроагрегатом» реализуют соглашение о поставке "
        "насосов."
    )
    assert agreements(text) == [
        (
            "соглашение о сотрудничестве между Министерством промышленности и торговли Курской области и "
            "Министерством промышленности и торговли Республики Коми",
            [
                "Министерство промышленности и торговли Курской области",
                "Министерство промышленности и торговли Республики Коми",
            ],
            "interagency",
            True,
        ),
        (
            "договор поставки кабельной продукции между ООО «Курский кабель» и ПАО «Северсталь»",
            ["Курский кабель", "Северсталь"],
            "commercial_contract",
            True,
        ),
        (
            "меморандум о взаимопонимании",
            ["Фонд развития промышленности Курской области", "Торгово-промышленная палата Республики Коми"],
            "memorandum",
            True,
        ),
        ("соглашение о поставке насосов", ["Сигнал-М", "Электроагрегат"], "commercial_contract", True),
    ]


def test_unnamed_parties_leave_the_list_empty_and_a_second_между_is_a_second_agreement():
    text = (
        "Ключевым моментом стало подписание соглашений между региональными отделениями «Ассоциации "
        "машиностроителей», а также между Фондом развития промышленности Курской области и Центром поддержки "
        "экспорта Республики Коми."
    )
    assert agreements(text, KURSK_KOMI) == [
        ("соглашение между региональными отделениями «Ассоциации машиностроителей»", [], "institutional", True),
        (
            "соглашение между Фондом развития промышленности Курской области и Центром поддержки экспорта "
            "Республики Коми",
            ["Фонд развития промышленности Курской области", "Центр поддержки экспорта Республики Коми"],
            "institutional",
            True,
        ),
    ]


def test_counts_and_oral_arrangements_are_not_agreements_and_plans_are_marked_unsigned():
    text = (
        "По итогам визита подписано 7 соглашений и более 20 контрактов, заключён ряд договоров. Достигнуты "
        "договорённости о совместных проектах. В следующем году стороны планируют подписать соглашение о "
        "сотрудничестве между Курской областью и Республикой Коми."
    )
    assert agreements(text, KURSK_KOMI) == [
        (
            "соглашение о сотрудничестве между Курской областью и Республикой Коми (не подписано)",
            ["Курская область", "Республика Коми"],
            "intergovernmental",
            False,
        )
    ]


def test_heads_of_regions_signing_by_name_make_their_regions_the_parties():
    text = (
        "Губернатор Курской области Роман Старовойт и Глава Республики Коми Владимир Уйба провели встречу. "
        "Роман Старовойт и Владимир Уйба подписали соглашение о сотрудничестве в сфере промышленности."
    )
    analysed = analyse_once(text)
    organizations = find_organizations(analysed)
    found = find_agreements(analysed, organizations, [], find_people(analysed, organizations))
    assert [(a.title, a.parties, a.kind) for a in found] == [
        (
            "соглашение о сотрудничестве в сфере промышленности",
            ["Курская область", "Республика Коми"],
            "intergovernmental",
        )
    ]


def test_signers_named_after_the_document():
    text = "Меморандум о сотрудничестве подписали АО «Сигнал-М» и ООО «Северянка»."
    assert agreements(text) == [("Меморандум о сотрудничестве", ["Сигнал-М", "Северянка"], "memorandum", True)]
