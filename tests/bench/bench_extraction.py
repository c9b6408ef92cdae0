"""Benchmark (`make bench`): reading a 6 KB press release into a draft, the models already loaded,
against a directory of 2,000 organizations (the resolution's candidate query included).

The issue's target is under 2 s a release on the two-core machine; it is measured here, never asserted.
"""

import pytest

from companies.models import Organization
from releases.extraction.nlp import models
from releases.extraction.pipeline import analyse
from tests.factories import directory_region

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "Делегация Курской области во главе с заместителем губернатора Курской области Олегом Носовым посетила "
    "Республику Коми. В состав делегации вошли АО «Сигнал-М», ООО «Северянка», Курский завод "
    "электрооборудования и Фонд развития промышленности Курской области. Министр экономики Республики Коми "
    "Павел Гусев отметил, что стороны подписали соглашение о сотрудничестве между Правительством Курской "
    "области и Правительством Республики Коми, а также более 20 контрактов на сумму свыше 1,5 млрд рублей. "
    "3 марта 2025 года прошёл круглый стол, 4 марта — B2B-встречи на площадке Торгово-промышленной палаты "
    "Республики Коми.\n"
)
RELEASE = (PARAGRAPH * 12).encode()[:6144].decode(errors="ignore")  # 6 KB of UTF-8, as the seed files


def test_bench_analyse_a_6kb_release(benchmark):
    kursk = directory_region("46")
    Organization.objects.bulk_create(
        [Organization(name=f"Предприятие «Северный {n}»", slug=f"bench-{n}", region=kursk) for n in range(2000)]
    )
    models()  # loaded once per process, before the clock starts
    draft = benchmark.pedantic(analyse, args=(RELEASE,), rounds=3, iterations=1)
    assert draft.organizations
