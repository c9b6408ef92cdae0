"""A labelled directory for the ranking: generated companies whose right partners are known.

Each pair shares a vocabulary — a need of one answered by an offer, a product or a sector of the
other, written in other grammatical forms or with a synonym of the directory's dictionary — and
lives in two different regions. Distractors use the same generic words ("поставка оборудования"),
answer the need from the SAME region (not to be suggested), or are hidden from the public.
"""

import random
from dataclasses import dataclass

from companies.models import Need, Offer, Organization, SearchSynonym

# (what one company needs, how its partner offers it): inflections and synonyms on purpose.
VOCABULARY = [
    ("Литые заготовки из чугуна", "offer", "Литьё чугуна и стали под заказ"),
    ("Подшипники качения", "product", "подшипниковые узлы; подшипники шариковые и роликовые"),
    ("Датчики давления", "offer", "Сенсоры давления и температуры"),
    ("Станки с ЧПУ", "offer", "Обрабатывающие центры с числовым программным управлением"),
    ("Механическая обработка деталей", "capability", "механообработка корпусных деталей"),
    ("Поковки для валов", "offer", "Штамповка и ковка валов"),
    ("Редукторы для конвейеров", "product", "мотор-редукторы, редукторы червячные"),
    ("Электродвигатели асинхронные", "offer", "Асинхронные электромоторы"),
    ("Насосы для водоснабжения", "product", "насосное оборудование для водоснабжения"),
    ("Беспилотники для мониторинга", "offer", "БПЛА для мониторинга полей"),
    ("Программное обеспечение для учёта", "offer", "Софт для складского учёта"),
    ("Аккумуляторы тяговые", "product", "тяговые аккумуляторные батареи"),
    ("Железобетонные изделия", "offer", "ЖБИ: плиты, кольца, сваи"),
    ("Резинотехнические изделия", "offer", "РТИ для машиностроения"),
    ("Лакокрасочные материалы", "product", "ЛКМ промышленные, грунты, эмали"),
    ("Сельскохозяйственная техника", "offer", "Сельхозтехника: сеялки, культиваторы"),
    ("Контрольно-измерительные приборы", "offer", "КИПиА для котельных"),
    ("Программируемые логические контроллеры", "offer", "ПЛК и шкафы автоматики"),
    ("Стеклопакеты для окон", "offer", "Стеклопакеты двухкамерные"),
    ("Мебельные фасады", "product", "фасады мебельные из МДФ"),
]
GENERIC_DISTRACTOR = ("Поставка оборудования", "Поставки различного оборудования и материалов под заказ")
NEEDS_PER_SEEKER = 5


@dataclass
class Labelled:
    seekers: list[Organization]
    relevant: dict[int, set[int]]  # seeker pk → every visible organization of another region answering a need
    same_region: dict[int, int]  # seeker pk → a company of its own region that answers its first need
    hidden: dict[int, int]  # seeker pk → a hidden company of another region that answers its first need
    distractors: set[int]


def _answer(organization: Organization, how: str, text: str) -> None:
    if how == "offer":
        Offer.objects.create(organization=organization, title=text)
    else:
        setattr(organization, "products" if how == "product" else "capabilities", text)
        organization.save()


def build(regions, *, seed: int = 17) -> Labelled:
    """Seeker i needs the entries i … i+4 of VOCABULARY; supplier j answers entry j from a region where
    none of its seekers is; seeker i's neighbour answers entry i from the seeker's own region."""
    if not SearchSynonym.objects.exists():  # the dictionary migration 0013 seeds
        raise AssertionError("the synonym dictionary is empty")
    rng = random.Random(seed)
    n = len(VOCABULARY)
    wanted = {i: [(i + k) % n for k in range(NEEDS_PER_SEEKER)] for i in range(n)}
    homes = {i: rng.choice(regions) for i in range(n)}
    seekers = []
    for i in range(n):
        seeker = Organization.objects.create(name=f"Заказчик {i}", slug=f"seeker-{i}", region=homes[i], is_public=True)
        for j in wanted[i]:
            Need.objects.create(organization=seeker, title=VOCABULARY[j][0])
        Offer.objects.create(organization=seeker, title=f"Услуги хранения грузов {i}")  # answers nobody
        seekers.append(seeker)
    answers: dict[int, list[Organization]] = {j: [] for j in range(n)}  # entry → visible organizations answering it
    for j, (_need, how, text) in enumerate(VOCABULARY):
        seeker_homes = {homes[i] for i in range(n) if j in wanted[i]}
        region = rng.choice([r for r in regions if r not in seeker_homes])
        supplier = Organization.objects.create(
            name=f"Поставщик {j}", slug=f"supplier-{j}", region=region, is_public=True
        )
        _answer(supplier, how, text)
        answers[j].append(supplier)
    same_region, hidden = {}, {}
    for i, seeker in enumerate(seekers):
        how, text = VOCABULARY[i][1], VOCABULARY[i][2]
        twin = Organization.objects.create(name=f"Сосед {i}", slug=f"neighbour-{i}", region=homes[i], is_public=True)
        _answer(twin, how, text)
        answers[i].append(twin)
        away = rng.choice([r for r in regions if r != homes[i]])
        secret = Organization.objects.create(name=f"Скрытый {i}", slug=f"hidden-{i}", region=away, is_public=False)
        _answer(secret, how, text)
        same_region[seeker.pk], hidden[seeker.pk] = twin.pk, secret.pk
    distractors = set()
    for k in range(30):
        distractor = Organization.objects.create(
            name=f"Торговый дом {k}", slug=f"distractor-{k}", region=rng.choice(regions), is_public=True
        )
        Offer.objects.create(organization=distractor, title=GENERIC_DISTRACTOR[0], description=GENERIC_DISTRACTOR[1])
        distractors.add(distractor.pk)
    relevant = {
        seeker.pk: {o.pk for j in wanted[i] for o in answers[j] if o.region_id != seeker.region_id}
        for i, seeker in enumerate(seekers)
    }
    return Labelled(seekers, relevant, same_region, hidden, distractors)
