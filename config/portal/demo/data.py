"""The demo data set, transcribed by hand from five press releases.

Sources (their text is not read at run time):
  [S] Samara ministry of industry: mission to the LPR, DPR, Zaporozhye and Kherson oblasts and Crimea
      (press release dated 2025-09-17).
  [T] Ulyanovsk ↔ Tula: governors sign a cooperation agreement; round table; plant visits.
  [C] Chelyabinsk → Ulyanovsk return mission (3 February); the earlier 2023 Ulyanovsk mission.
  [M] Ulyanovsk ↔ Mordovia round table (9 November) two months after the visit to Saransk.
  [Y] Chelyabinsk → Khanty-Mansi Autonomous Okrug – Yugra (9 August), forum «Утро».

Rules of the transcription:
- Only what the texts state. INN and OGRN are empty (no text gives them); a legal form is set only
  where the text writes it (ОАО, ООО, АО, ЗАО, МКК); ministries and governments are state bodies.
- Dates are set only where the text makes them certain. Three of the texts give a day without a
  year: the day goes into the mission's purpose text and the dates stay empty. The schema needs a
  date for a signed agreement; where an agreement was signed on such a day the year is inferred and
  said so next to the constant below; where no day is known at all, the agreement stays a draft
  and its summary says it was reported signed.
- Organization names drop the legal form (it is a field of its own); `short_name` keeps the form
  the text writes, with «» quotes.
- Slugs are hand-written and stable: the loader uses them to find what it already loaded.
"""

import datetime

# --- Dates ----------------------------------------------------------------------------------

# [S] The press release is dated; the mission dates are not given (they are before this day).
SAMARA_RELEASE_DATE = datetime.date(2025, 9, 17)

# [C] "3 февраля", no year. The text places it after the governor's mission of 2023 and calls that
# visit "прошлый визит", and the pickups shown there went into production "30 января" of the same
# winter: the natural reading is 2024. The mission's day and the signing date of the two agreements
# signed "at the meeting".
RETURN_MISSION_SIGNING_DATE = datetime.date(2024, 2, 3)  # year inferred, not stated

# [Y] "сегодня, 9 августа", no year. The documents signed that day include the implementation plan
# "на 2022-2024 годы", so the year is 2022, 2023 or 2024; a plan for 2022–2024 is read as signed in
# its first year. The day the mission opened and the plan's signing date.
YUGRA_PLAN_SIGNING_DATE = datetime.date(2022, 8, 9)  # year inferred, not stated

# [Y] The plan covers the years 2022–2024 (stated), so its term is those three calendar years.
YUGRA_PLAN_START = datetime.date(2022, 1, 1)
YUGRA_PLAN_END = datetime.date(2024, 12, 31)

# --- Sectors: two levels; OKVED 2 codes only where the class matches the sector exactly ----------

SECTORS = [
    # (slug, name, name_en, okved, parent slug)
    ("mashinostroenie", "Машиностроение", "Mechanical engineering", "", None),
    ("avtomobilestroenie", "Автомобилестроение", "Automotive manufacturing", "29.1", "mashinostroenie"),
    ("avtokomponenty", "Автокомпоненты", "Automotive components", "29.3", "mashinostroenie"),
    ("aviatsiya", "Авиация", "Aircraft industry", "30.3", "mashinostroenie"),
    ("zheleznodorozhnoe-mashinostroenie", "Железнодорожное машиностроение", "Railway engineering", "30.2",
     "mashinostroenie"),
    ("neftegazovoe-oborudovanie", "Нефтегазовое и нефтехимическое оборудование", "Oil, gas and petrochemical equipment",
     "", "mashinostroenie"),
    ("priborostroenie", "Приборостроение", "Instrument engineering", "", None),
    ("sredstva-izmereniy", "Средства измерений", "Measuring instruments", "26.51", "priborostroenie"),
    ("meditsinskaya-promyshlennost", "Медицинская промышленность", "Medical industry", "", None),
    ("meditsinskoe-oborudovanie", "Медицинское оборудование", "Medical equipment", "32.50",
     "meditsinskaya-promyshlennost"),
    ("yadernaya-meditsina", "Ядерная медицина", "Nuclear medicine", "", "meditsinskaya-promyshlennost"),
    ("it", "IT и цифровые технологии", "IT and digital technologies", "62", None),
    ("stroitelstvo", "Строительство и строительные материалы", "Construction and building materials", "", None),
    ("stroitelnye-materialy", "Строительные материалы", "Building materials", "", "stroitelstvo"),
    ("metalloobrabotka", "Металлообработка", "Metalworking", "25.6", None),
    ("instrumentalnoe-proizvodstvo", "Инструментальное производство и оснастка", "Tools and tooling", "25.73",
     "metalloobrabotka"),
    ("kuznechno-pressovoe-proizvodstvo", "Кузнечно-прессовое производство", "Forging and pressing", "25.50",
     "metalloobrabotka"),
    ("kompozitnye-materialy", "Композитные материалы", "Composite materials", "", None),
    ("elektrotekhnika", "Электротехника", "Electrical equipment", "27", None),
]  # fmt: skip

# --- Spheres of cooperation named by the agreements -------------------------------------------

SPHERES = [
    # (slug, name, name_en)
    ("ekonomika", "Экономика", "Economy"),
    ("torgovlya", "Торговля", "Trade"),
    ("investitsii", "Инвестиции", "Investment"),
    ("promyshlennost", "Промышленность", "Industry"),
    ("nauka-i-tekhnika", "Наука и техника", "Science and technology"),
    ("it", "Информационные технологии", "Information technology"),
    ("obrazovanie", "Образование", "Education"),
    ("kultura", "Культура", "Culture"),
    ("sotsialnaya-sfera", "Социальная сфера", "Social sphere"),
    ("aviasoobshchenie", "Авиасообщение", "Air service"),
]

# --- Regions: profile and key sectors where a text characterizes the region ------------------
# Regions themselves come from the directory (companies/data/regions.py) by code. A profile is
# written only into an empty field, so staff edits survive a second load.

SAMARA, ULYANOVSK, TULA, CHELYABINSK, MORDOVIA, KHMAO = "63", "73", "71", "74", "13", "86"
DPR, LPR, CRIMEA, ZAPOROZHYE, KHERSON = "80", "81", "82", "84", "85"

REGION_PROFILES = {
    SAMARA: {  # [S]
        "profile": "Крупные промышленные предприятия, средний и малый бизнес области работают в отраслях "
        "машиностроения, строительства, производства медицинского оборудования, информационных систем "
        "и цифровых технологий.",
        "key_sectors": ["mashinostroenie", "stroitelstvo", "meditsinskoe-oborudovanie", "it"],
    },
    ULYANOVSK: {  # [T], [C]
        "profile": "Сильный индустриальный регион ПФО. С 2022 года организованы бизнес-миссии в 22 субъекта "
        "России и ряд дружественных государств; стратегические международные партнёры — Республика "
        "Беларусь, Китай, Иран, Казахстан и Узбекистан. Авиационное предприятие «Авиастар» модернизирует "
        "испытанные самолёты и создаёт новые. Большой потенциал в сфере туризма и культуры.",
        "key_sectors": ["mashinostroenie", "aviatsiya", "avtokomponenty", "priborostroenie"],
    },
    TULA: {  # [T]
        "profile": "Сильный регион Центрального федерального округа.",
        "key_sectors": [],
    },
    CHELYABINSK: {  # [C], [Y]
        "profile": "Промышленно развитый регион: может производить практически любую номенклатуру — продукцию "
        "обрабатывающих производств, строительные материалы, продукты питания, современные инновационные "
        "продукты и оборудование. Предприятия предлагают машиностроителям осевые агрегаты, автохимию, "
        "детали из композитных материалов.",
        "key_sectors": [
            "mashinostroenie",
            "avtokomponenty",
            "priborostroenie",
            "stroitelnye-materialy",
            "kompozitnye-materialy",
        ],
    },
    KHMAO: {  # [Y], Natalya Komarova
        "profile": "Округ заинтересован в локализации предприятий и производственных мощностей; планируется "
        "реализовать ряд инвестпроектов для привлечения бизнеса.",
        "key_sectors": [],
    },
}

# --- Organizations ----------------------------------------------------------------------------

GOV, DEV, ASSOC, COMPANY = "government", "development", "association", "company"

ORGANIZATIONS = [
    # Governments and ministries.
    {"slug": "samara-government", "kind": GOV, "region": SAMARA, "legal_form": "state_body",
     "name": "Правительство Самарской области"},
    {"slug": "samara-minpromtorg", "kind": GOV, "region": SAMARA, "legal_form": "state_body",
     "name": "Министерство промышленности и торговли Самарской области",
     "short_name": "Минпромторг Самарской области"},
    {"slug": "zaporozhye-minpromtorg", "kind": GOV, "region": ZAPOROZHYE, "legal_form": "state_body",
     "name": "Министерство промышленности и торговли Запорожской области",
     "short_name": "Минпромторг Запорожской области"},
    {"slug": "ulyanovsk-government", "kind": GOV, "region": ULYANOVSK, "legal_form": "state_body",
     "name": "Правительство Ульяновской области"},
    {"slug": "tula-government", "kind": GOV, "region": TULA, "legal_form": "state_body",
     "name": "Правительство Тульской области"},
    {"slug": "chelyabinsk-government", "kind": GOV, "region": CHELYABINSK, "legal_form": "state_body",
     "name": "Правительство Челябинской области"},
    {"slug": "mordovia-government", "kind": GOV, "region": MORDOVIA, "legal_form": "state_body",
     "name": "Правительство Республики Мордовия"},
    {"slug": "khmao-government", "kind": GOV, "region": KHMAO, "legal_form": "state_body",
     "name": "Правительство Ханты-Мансийского автономного округа — Югры",
     "short_name": "Правительство ХМАО — Югры"},
    # Development institutions, funds, associations.
    # [T], [C] name it «Центр компетенций развития промышленности Ульяновской области»; [M] calls it
    # «Центр развития промышленности Ульяновской области»: one organization, the shorter form kept.
    {"slug": "ulyanovsk-industry-competence-centre", "kind": DEV, "region": ULYANOVSK,
     "name": "Центр компетенций развития промышленности Ульяновской области",
     "short_name": "Центр развития промышленности Ульяновской области",
     "capabilities": "Площадка круглых столов и переговоров бизнес-миссий; организация поставок для "
     "ульяновских компаний."},
    {"slug": "chelyabinsk-industry-development-fund", "kind": DEV, "region": CHELYABINSK,
     "name": "Фонд развития промышленности Челябинской области"},
    # [C] does not name its region; it signs with the Chelyabinsk fund at the Ulyanovsk meeting, so it
    # is read as the Ulyanovsk counterpart.
    {"slug": "ulyanovsk-industry-finance-fund", "kind": DEV, "region": ULYANOVSK, "legal_form": "mkk",
     "name": "Микрокредитная компания фонд «Фонд финансирования промышленности и предпринимательства»",
     "short_name": "МКК «Фонд финансирования промышленности и предпринимательства»"},
    # [C] "соглашения между региональными отделениями «Союза машиностроителей России»" at the meeting
    # of the two regions: the Ulyanovsk and the Chelyabinsk branch.
    {"slug": "soyuzmash-ulyanovsk", "kind": ASSOC, "region": ULYANOVSK,
     "name": "Ульяновское региональное отделение «Союза машиностроителей России»"},
    {"slug": "soyuzmash-chelyabinsk", "kind": ASSOC, "region": CHELYABINSK,
     "name": "Челябинское региональное отделение «Союза машиностроителей России»"},
    # [S] Samara companies in the delegation. Sectors only where the text or the name says it.
    {"slug": "zavod-prodmash", "region": SAMARA, "legal_form": "oao", "name": "Завод Продмаш",
     "short_name": "ОАО «Завод Продмаш»", "sectors": ["mashinostroenie"]},  # "маш" in the name
    {"slug": "tk-universal", "region": SAMARA, "name": "ТК «Универсал»"},  # "ТК" is no legal form
    {"slug": "bts", "region": SAMARA, "legal_form": "ooo", "name": "БТС", "short_name": "ООО «БТС»"},
    {"slug": "intellektualnye-sistemy", "region": SAMARA, "legal_form": "ooo", "name": "Интеллектуальные системы",
     "short_name": "ООО «Интеллектуальные системы»"},
    {"slug": "arctic-investments", "region": SAMARA, "legal_form": "ooo", "name": "Арктик Инвестментс",
     "short_name": "ООО «Арктик Инвестментс»"},
    {"slug": "diakon-ds", "region": SAMARA, "legal_form": "ao", "name": "ДИАКОН-ДС", "short_name": "АО «ДИАКОН-ДС»"},
    {"slug": "diakon", "region": SAMARA, "legal_form": "ao", "name": "ДИАКОН", "short_name": "АО «ДИАКОН»",
     "sectors": ["meditsinskoe-oborudovanie"],
     "products": "Анализаторы для клинической лабораторной диагностики (КДЛ).",
     "capabilities": "Решения по импортозамещению; обучение и повышение квалификации специалистов."},
    {"slug": "zavod-zhbi-8", "region": SAMARA, "legal_form": "zao", "name": "Завод ЖБИ-8",
     "short_name": "ЗАО «Завод ЖБИ-8»", "sectors": ["stroitelnye-materialy"]},  # ЖБИ: железобетонные изделия
    # [T], [C] Ulyanovsk companies.
    {"slug": "aviastar", "region": ULYANOVSK, "name": "Авиастар", "sectors": ["aviatsiya"],
     "capabilities": "Модернизация испытанных самолётов и создание новых; ведутся проектные работы по "
     "расширению линейки."},
    {"slug": "midaus", "region": ULYANOVSK, "name": "Мидаус", "sectors": ["sredstva-izmereniy"],
     "products": "Эталонные сенсоры давления."},
    {"slug": "avtokomponent", "region": ULYANOVSK, "name": "Автокомпонент", "sectors": ["avtokomponenty"],
     "capabilities": "Изготовление карданных валов отбора мощности (готовит технико-коммерческое предложение)."},
    {"slug": "ukbp", "region": ULYANOVSK, "legal_form": "ao",
     "name": "Ульяновское конструкторское бюро приборостроения",
     "short_name": "АО «Ульяновское конструкторское бюро приборостроения»", "sectors": ["priborostroenie"],
     "products": "Блоки и системы, электронные модули, высокотехнологичное инновационное оборудование."},
    {"slug": "uaz", "region": ULYANOVSK, "name": "Ульяновский автомобильный завод",
     "sectors": ["avtomobilestroenie"],
     "products": "Пикапы ST6 и ST8 (запуск производства 30 января); компактные малотоннажные грузовики "
     "Sollers Argo."},
    {"slug": "simaz", "region": ULYANOVSK, "name": "СИМАЗ", "sectors": ["avtomobilestroenie"], "products": "Автобусы."},
    # [C] Chelyabinsk companies.
    {"slug": "alfapascal", "region": CHELYABINSK, "name": "АльфаПаскаль", "sectors": ["sredstva-izmereniy"],
     "products": "Грузопоршневые манометры."},
    # [C] The text does not name the region of «Метран Менеджмент». It meets the Ulyanovsk centre during
    # the Chelyabinsk return mission about supplies *for Ulyanovsk companies*, so it is read as a
    # Chelyabinsk company of the visiting delegation.
    {"slug": "metran-management", "region": CHELYABINSK, "name": "Метран Менеджмент",
     "sectors": ["sredstva-izmereniy"], "products": "Средства измерений."},
    {"slug": "avtozavod-ural", "region": CHELYABINSK, "name": "Автомобильный завод «Урал»",  # in Miass
     "short_name": "Автозавод «Урал»", "sectors": ["avtomobilestroenie"]},
    {"slug": "chkpz", "region": CHELYABINSK, "name": "Челябинский кузнечнопрессовый завод",
     "sectors": ["kuznechno-pressovoe-proizvodstvo"]},
    # [Y] The twelve companies of the delegation to Yugra (with «Урал» above). Sectors read from names.
    {"slug": "chzeo", "region": CHELYABINSK, "name": "Челябинский завод электрооборудования",
     "sectors": ["elektrotekhnika"]},
    {"slug": "elmetro-engineering", "region": CHELYABINSK, "name": "ЭлМетро-Инжиниринг"},
    {"slug": "spetsagregat", "region": CHELYABINSK, "name": "Завод «СпецАгрегат»"},
    {"slug": "intrafit", "region": CHELYABINSK, "name": "Интрафит"},
    {"slug": "intersvyaz", "region": CHELYABINSK, "name": "Интерсвязь"},
    {"slug": "npo-elektromashina", "region": CHELYABINSK, "name": "НПО «Электромашина»"},
    {"slug": "neft-servis", "region": CHELYABINSK, "name": "Нефть-Сервис", "sectors": ["neftegazovoe-oborudovanie"]},
    {"slug": "chkz", "region": CHELYABINSK, "name": "Челябинский компрессорный завод", "sectors": ["mashinostroenie"]},
    {"slug": "spetsmash", "region": CHELYABINSK, "name": "Спецмаш"},
    {"slug": "dst-ural", "region": CHELYABINSK, "name": "ДСТ-Урал"},
    {"slug": "yuaiz", "region": CHELYABINSK, "name": "Южноуральский арматурно-изоляторный завод",
     "sectors": ["elektrotekhnika"]},
    # [M] Mordovian companies at the round table.
    {"slug": "rezinotekhnika", "region": MORDOVIA, "legal_form": "ao", "name": "Резинотехника",
     "short_name": "АО «Резинотехника»"},
    {"slug": "orbita", "region": MORDOVIA, "legal_form": "ao", "name": "Орбита", "short_name": "АО «Орбита»"},
    {"slug": "saransk-instrument-plant", "region": MORDOVIA, "name": "Саранский приборостроительный завод",
     "sectors": ["priborostroenie"]},
    {"slug": "rm-rail", "region": MORDOVIA, "name": "УК «РМ Рейл»",  # "УК" is no legal form
     "sectors": ["zheleznodorozhnoe-mashinostroenie"]},
]  # fmt: skip

# What organizations offer partners, or look for ([S] Ilya Rudnev, [M] Sergey Drobzhev).
OFFERS = [
    # (organization, sector, title, description)
    ("diakon", "meditsinskoe-oborudovanie", "Анализаторы для КДЛ-диагностики",
     "Анализаторы для клинико-диагностических лабораторий, ещё не оснащённых современным оборудованием; "
     "решения по импортозамещению."),
    ("diakon", "meditsinskoe-oborudovanie", "Обучение и повышение квалификации специалистов лабораторий", ""),
]  # fmt: skip
NEEDS = [
    # [C] «Мидаус» buys deadweight testers from «АльфаПаскаль», which buys its reference pressure sensors.
    ("midaus", "sredstva-izmereniy", "Грузопоршневые манометры", ""),
    ("alfapascal", "sredstva-izmereniy", "Эталонные датчики давления", ""),
    ("rm-rail", "metalloobrabotka", "Металлообработка", ""),
    ("rm-rail", "zheleznodorozhnoe-mashinostroenie", "Изготовление части комплектующих вагонов", ""),
    ("rm-rail", "neftegazovoe-oborudovanie", "Совместное производство нефтехимического оборудования", ""),
]

# --- People -----------------------------------------------------------------------------------
# key: (organization, last name, first name, patronymic, position). Patronymics only where a text
# gives them ("с Алексеем Леонидовичем" in [C] is the Chelyabinsk governor).

PEOPLE = {
    "galiullin": ("samara-minpromtorg", "Галиуллин", "Дамир", "",
                  "Заместитель министра промышленности и торговли Самарской области"),
    "gurkov": ("samara-minpromtorg", "Гурков", "Денис", "", "Министр промышленности и торговли Самарской области"),
    "fedorishchev": ("samara-government", "Федорищев", "Вячеслав", "", "Губернатор Самарской области"),
    "lysenko": ("zaporozhye-minpromtorg", "Лысенко", "Наталья", "",
                "Начальник управления промышленной политики и стратегического планирования "
                "Минпромторга Запорожской области"),
    "rudnev": ("diakon", "Руднев", "Илья", "", "Представитель компании"),
    "milyaev": ("tula-government", "Миляев", "Дмитрий", "", "Губернатор Тульской области"),
    "russkikh": ("ulyanovsk-government", "Русских", "Алексей", "", "Губернатор Ульяновской области"),
    "artemyeva": ("ulyanovsk-industry-competence-centre", "Артемьева", "Наталья", "",
                  "Исполнительный директор Центра компетенций развития промышленности Ульяновской области"),
    "teksler": ("chelyabinsk-government", "Текслер", "Алексей", "Леонидович", "Губернатор Челябинской области"),
    "zdunov": ("mordovia-government", "Здунов", "Артём", "", "Глава Республики Мордовия"),
    "drobzhev": ("rm-rail", "Дробжев", "Сергей", "", "Директор по техническому развитию УК «РМ Рейл»"),
    "komarova": ("khmao-government", "Комарова", "Наталья", "",
                 "Губернатор Ханты-Мансийского автономного округа — Югры"),
}  # fmt: skip

# --- Missions ---------------------------------------------------------------------------------
# In creation order: a return mission comes after the mission it returns. Every mission is past,
# hence completed; dates stay empty where no text gives the year (see the module docstring).
# delegation: (organization, person key or None, role); programme: (kind, title, venue, host,
# description); meetings: dicts for missions.services.meeting_schedule.

COMPLETED = "completed"

# Cities the sources say a delegation visited: (slug, name, English name, region). [T] the visit to Tula's
# enterprises; [M] "визит нашей делегации в Саранск".
PLACES = [
    ("tula", "Тула", "Tula", TULA),
    ("saransk", "Саранск", "Saransk", MORDOVIA),
]

MISSIONS = [
    {
        "slug": "samara-new-territories-2025",  # [S]
        "title": "Бизнес-миссия Самарской области в ЛНР, ДНР, Запорожскую и Херсонскую области и Республику Крым",
        "origin": SAMARA,
        "destinations": [LPR, DPR, ZAPOROZHYE, KHERSON, CRIMEA],
        "organizer": "samara-minpromtorg",
        "head": None,  # the text names no head of the delegation
        "purpose": "Укрепление промышленного потенциала и установление кооперационных связей между предприятиями. "
        "Поездка организована по поручению губернатора Вячеслава Федорищева с целью налаживания контактов "
        "и создания точек кооперации между предприятиями Самарской области и новых территорий. Даты поездки "
        "в пресс-релизе от 17.09.2025 не указаны.",
        "results_summary": "По итогам серии B2B-встреч достигнуты предварительные договорённости о реализации "
        "совместных проектов. Принимающая сторона видит перспективы взаимодействия не только в промышленности, "
        "но и в сферах дорожной инфраструктуры, здравоохранения и благоустройства территорий.",
        "delegation": [
            ("samara-minpromtorg", None, "organizer"),
            ("zavod-prodmash", None, "participant"),
            ("tk-universal", None, "participant"),
            ("bts", None, "participant"),
            ("intellektualnye-sistemy", None, "participant"),
            ("arctic-investments", None, "participant"),
            ("diakon-ds", None, "participant"),
            ("diakon", "rudnev", "participant"),
            ("zavod-zhbi-8", None, "participant"),
        ],
        "program": [
            ("b2b", "B2B-встречи с представителями органов власти и деловых кругов принимающих регионов", "", None,
             "Стороны обсудили потенциальные направления сотрудничества, обменялись мнениями и наметили "
             "перспективные пути взаимодействия."),
        ],
        "meetings": [
            {
                "a": "samara-minpromtorg",
                "b": "zaporozhye-minpromtorg",
                "topic": "Перспективы взаимодействия в промышленности, дорожной инфраструктуре, здравоохранении "
                "и благоустройстве территорий",
                "people": ["lysenko"],
                "outcome": "follow_up_agreed",  # "подтвердила взаимную готовность к продуктивному диалогу"
            },
        ],
    },
    {
        "slug": "ulyanovsk-tula",  # [T]
        "title": "Бизнес-миссия Ульяновской области в Тульскую область",
        "origin": ULYANOVSK,
        "destinations": [TULA],
        "places": ["tula"],
        "organizer": "ulyanovsk-government",
        "head": "russkikh",
        "purpose": "Укрепить партнёрские отношения предприятий двух регионов и вывести их на новый, системный "
        "уровень; установление кооперационных цепочек и локализация компонентов, включая оснастку, программное "
        "обеспечение для цифровизации производства и поставки комплектующих. Даты визита в источнике не указаны.",
        "results_summary": "Губернаторы Ульяновской и Тульской областей подписали соглашение о сотрудничестве. "
        "Основными сферами сотрудничества могут стать машиностроение, металлообработка, инструментальное "
        "производство, создание композитных материалов и изделий из них, авиация. Ряд предприятий уже достиг "
        "договорённостей об углублении сотрудничества.",
        "delegation": [
            ("ulyanovsk-government", "russkikh", "head"),
            ("ulyanovsk-industry-competence-centre", "artemyeva", "participant"),
        ],
        "program": [
            ("signing", "Подписание соглашения о сотрудничестве губернаторами Ульяновской и Тульской областей", "",
             None, ""),
            ("round_table", "Круглый стол представителей ведущих предприятий Ульяновской и Тульской областей", "",
             None, "С участием лидеров в машиностроении, IT и металлообработке."),
            ("site_visit", "Посещение ключевых промышленных предприятий Тулы", "Тула", None,
             "Список производственных площадок составлен на основе запросов и потребностей обеих сторон."),
        ],
        "meetings": [],
    },
    {
        "slug": "ulyanovsk-chelyabinsk-2023",  # [C], the visit the return mission refers to
        "title": "Бизнес-миссия Ульяновской области в Челябинскую область (2023)",
        "origin": ULYANOVSK,
        "destinations": [CHELYABINSK],
        "organizer": "ulyanovsk-government",
        "head": "russkikh",
        "purpose": "Бизнес-миссия Губернатора Алексея Русских и представителей промышленных предприятий в "
        "Челябинскую область, после которой началось активное взаимодействие регионов. Состоялась в 2023 году; "
        "точные даты в источнике не указаны.",
        "results_summary": "По итогам визита из Челябинской области привезено более 50 новых контрактов.",
        "delegation": [("ulyanovsk-government", "russkikh", "head")],
        "program": [],
        "meetings": [],
    },
    {
        "slug": "chelyabinsk-ulyanovsk-return",  # [C]
        "title": "Ответная бизнес-миссия Челябинской области в Ульяновскую область",
        "origin": CHELYABINSK,
        "destinations": [ULYANOVSK],
        "organizer": "chelyabinsk-government",
        "head": "teksler",
        "reciprocal_of": "ulyanovsk-chelyabinsk-2023",
        "start_date": RETURN_MISSION_SIGNING_DATE,
        "purpose": "Ответный визит: представители более чем 20 челябинских предприятий во главе с губернатором "
        "Алексеем Текслером. Состоялась 3 февраля (год в источнике не указан и выведен из контекста: после "
        "визита 2023 года).",
        "results_summary": "Подписаны соглашения между региональными отделениями «Союза машиностроителей России», "
        "а также между Фондом развития промышленности Челябинской области и Микрокредитной компанией фонд «Фонд "
        "финансирования промышленности и предпринимательства». Перспективными остаются машиностроение и "
        "производство автокомпонентов, новое направление — ядерная медицина. Проведены переговоры с «Метран "
        "Менеджмент» об организации поставок средств измерений для ульяновских компаний.",
        "delegation": [
            ("chelyabinsk-government", "teksler", "head"),
            # Present because they sign or negotiate at the meeting (see the agreements and meetings).
            ("chelyabinsk-industry-development-fund", None, "participant"),
            ("soyuzmash-chelyabinsk", None, "participant"),
            ("metran-management", None, "participant"),
        ],
        "program": [
            ("plenary", "Встреча глав регионов", "Дом Правительства", "ulyanovsk-government", ""),
            ("round_table", "Круглый стол по взаимодействию предприятий двух регионов",
             "Центр компетенций развития промышленности Ульяновской области", "ulyanovsk-industry-competence-centre",
             "Обсудили вопросы эффективного взаимодействия предприятий двух регионов, проанализировали первые "
             "результаты сотрудничества."),
            ("exhibition", "Знакомство с продукцией ульяновских производителей, в том числе автобусами СИМАЗ", "",
             None, ""),
            ("signing", "Подписание соглашений между региональными отделениями «Союза машиностроителей России» и "
             "между фондами поддержки промышленности", "", None, ""),
            ("site_visit", "Посещение АО «Ульяновское конструкторское бюро приборостроения»", "", "ukbp",
             "Перспективные разработки и продукция; цеха по производству блоков и систем, электронных модулей и "
             "высокотехнологичного инновационного оборудования."),
            ("site_visit", "Посещение индустриальной площадки Ульяновского автомобильного завода", "", "uaz",
             "Участок сборки и выставка локализации новых автомобилей — пикапов ST6 и ST8, запуск производства "
             "которых состоялся 30 января; презентация производства компактных малотоннажных грузовиков "
             "Sollers Argo."),
        ],
        "meetings": [
            {
                "a": "ulyanovsk-industry-competence-centre",
                "b": "metran-management",
                "topic": "Организация поставок средств измерений для ульяновских компаний",
                "people": ["artemyeva"],
                "sectors": ["sredstva-izmereniy"],
                "outcome": "negotiation_started",
            },
        ],
    },
    {
        "slug": "ulyanovsk-mordovia-saransk",  # [M] "визит нашей делегации в Саранск"
        "title": "Визит делегации Ульяновской области в Саранск",
        "origin": ULYANOVSK,
        "destinations": [MORDOVIA],
        "places": ["saransk"],
        "organizer": "ulyanovsk-government",
        "head": None,  # the text says "our delegation", not who led it
        "purpose": "Визит делегации Ульяновской области в Саранск за два месяца до круглого стола 9 ноября; "
        "точные даты в источнике не указаны.",
        "results_summary": "Достигнуты договорённости о совместных проектах в разных сферах и отраслях.",
        "delegation": [],
        "program": [],
        "meetings": [],
    },
    {
        # [M] The round table in Ulyanovsk with the Head of Mordovia and Mordovian companies, "two months
        # after our delegation's visit to Saransk": modelled as Mordovia's return visit. The text says
        # it took place at the Ulyanovsk centre; the host is read as its organizer.
        "slug": "ulyanovsk-mordovia-round-table",
        "title": "Круглый стол по промышленной кооперации Ульяновской области и Республики Мордовия",
        "origin": MORDOVIA,
        "destinations": [ULYANOVSK],
        "organizer": "ulyanovsk-industry-competence-centre",
        "head": "zdunov",
        "reciprocal_of": "ulyanovsk-mordovia-saransk",
        "purpose": "Тематический круглый стол о перспективах взаимодействия предприятий двух регионов с участием "
        "Губернатора Ульяновской области Алексея Русских и Главы Республики Мордовия Артёма Здунова; состоялся "
        "9 ноября (год в источнике не указан) в Центре развития промышленности Ульяновской области.",
        "results_summary": "Более 30 ульяновских предприятий представили свою продукцию; предприятия Мордовии "
        "презентовали продукцию и возможности производства. Выстраиваются отношения по линии металлообработки, "
        "кооперации в инструменте, оснастке; по некоторым направлениям необходимо восстановить ранее утраченные "
        "связи. В стадии переговоров — 25 взаимовыгодных проектов.",
        "delegation": [
            ("mordovia-government", "zdunov", "head"),
            ("rezinotekhnika", None, "participant"),
            ("orbita", None, "participant"),
            ("saransk-instrument-plant", None, "participant"),
            ("rm-rail", "drobzhev", "participant"),
        ],
        "program": [
            ("round_table", "Тематический круглый стол по промышленной кооперации",
             "Центр развития промышленности Ульяновской области", "ulyanovsk-industry-competence-centre",
             "Ульяновские и мордовские предприятия презентовали продукцию, возможности производства и наработки."),
        ],
        "meetings": [],
    },
    {
        "slug": "chelyabinsk-yugra-utro",  # [Y]
        "title": "Бизнес-миссия Челябинской области в Ханты-Мансийский автономный округ — Югру",
        "origin": CHELYABINSK,
        "destinations": [KHMAO],
        "organizer": "chelyabinsk-government",
        "head": "teksler",
        "framework_event": "Форум «Утро»",
        "start_date": YUGRA_PLAN_SIGNING_DATE,
        "purpose": "Наращивание сотрудничества в промышленном секторе, IT, социальной сфере, культуре, развитие "
        "авиасообщения; поиск новых рынков сбыта и кооперационных связей. Миссия открылась 9 августа (год в "
        "источнике не указан и выведен из плана на 2022–2024 годы) в рамках форума «Утро».",
        "results_summary": "Главы регионов подписали документы о сотрудничестве, в их числе — план мероприятий по "
        "реализации Соглашения между правительствами ХМАО и Челябинской области на 2022–2024 годы. Руководители "
        "предприятий обсудили с коллегами из Югры импортозамещение и производственные возможности Южного Урала.",
        "delegation": [
            ("chelyabinsk-government", "teksler", "head"),
            ("chzeo", None, "participant"),
            ("elmetro-engineering", None, "participant"),
            ("spetsagregat", None, "participant"),
            ("intrafit", None, "participant"),
            ("intersvyaz", None, "participant"),
            ("npo-elektromashina", None, "participant"),
            ("neft-servis", None, "participant"),
            ("chkz", None, "participant"),
            ("avtozavod-ural", None, "participant"),
            ("spetsmash", None, "participant"),
            ("dst-ural", None, "participant"),
            ("yuaiz", None, "participant"),
        ],
        "program": [
            ("plenary", "Открытие бизнес-миссии Челябинской области", "Форум «Утро»", None, ""),
            ("b2b", "Переговоры руководителей промышленных предприятий с коллегами из Югры", "", None,
             "Импортозамещение, производственные возможности Южного Урала."),
            ("signing", "Подписание документов о сотрудничестве", "", None,
             "В их числе — план мероприятий по реализации Соглашения между правительствами ХМАО и Челябинской "
             "области на 2022–2024 годы."),
        ],
        "meetings": [],
    },
]  # fmt: skip

# --- Agreements -------------------------------------------------------------------------------

AGREEMENTS = [
    {
        # [T] Signed by both governors during the mission; the text gives no date, so it is recorded as
        # signed with the date unknown.
        "slug": "ulyanovsk-tula-cooperation",
        "kind": "intergovernmental",
        "title": "Соглашение о сотрудничестве между Ульяновской и Тульской областями",
        "summary": "Позволяет установить всесторонние двухсторонние связи в сфере экономики, культуры, образования, "
        "инвестиций и придать им долгосрочный характер. Подписано губернаторами двух областей во время "
        "бизнес-миссии; дата подписания в источнике не указана.",
        "spheres": ["ekonomika", "kultura", "obrazovanie", "investitsii"],
        "parties": [("ulyanovsk-government", "party"), ("tula-government", "party")],
        "signatories": ["russkikh", "milyaev"],
        "mission": "ulyanovsk-tula",
        "signed": True,
        "signed_on": None,
    },
    {
        "slug": "soyuzmash-ulyanovsk-chelyabinsk",  # [C]
        "kind": "institutional",
        "title": "Соглашение между Ульяновским и Челябинским региональными отделениями «Союза машиностроителей "
        "России»",
        "summary": "Главная цель — создание новых возможностей для сотрудничества предприятий, укрепление "
        "межрегиональной промкооперации. Подписано 3 февраля в ходе ответной бизнес-миссии Челябинской области; "
        "год подписания выведен (в источнике не указан).",
        "spheres": ["promyshlennost"],
        "parties": [("soyuzmash-ulyanovsk", "party"), ("soyuzmash-chelyabinsk", "party")],
        "signatories": [],
        "mission": "chelyabinsk-ulyanovsk-return",
        "signed": True,
        "signed_on": RETURN_MISSION_SIGNING_DATE,
        "place": "Ульяновская область",
    },
    {
        "slug": "chelyabinsk-frp-ulyanovsk-ffpp",  # [C]
        "kind": "institutional",
        "title": "Соглашение между Фондом развития промышленности Челябинской области и Микрокредитной компанией "
        "фонд «Фонд финансирования промышленности и предпринимательства»",
        "summary": "Главная цель — создание новых возможностей для сотрудничества предприятий, укрепление "
        "межрегиональной промкооперации. Подписано 3 февраля в ходе ответной бизнес-миссии Челябинской области; "
        "год подписания выведен (в источнике не указан).",
        "spheres": ["promyshlennost"],
        "parties": [("chelyabinsk-industry-development-fund", "party"), ("ulyanovsk-industry-finance-fund", "party")],
        "signatories": [],
        "mission": "chelyabinsk-ulyanovsk-return",
        "signed": True,
        "signed_on": RETURN_MISSION_SIGNING_DATE,
        "place": "Ульяновская область",
    },
    {
        # [Y] The document signed at the mission is the implementation plan of the governments' agreement
        # (the agreement's own date is not given). The plan is the row, with the agreement in its title,
        # so that its term (2022–2024) and its items belong together.
        "slug": "khmao-chelyabinsk-plan-2022-2024",
        "kind": "intergovernmental",
        "title": "План мероприятий по реализации Соглашения между правительствами ХМАО — Югры и Челябинской "
        "области о сотрудничестве в торгово-экономической, научно-технической, культурной и иных сферах на "
        "2022–2024 годы",
        "summary": "Подписан главами регионов 9 августа в ходе бизнес-миссии Челябинской области в рамках форума "
        "«Утро»; год подписания выведен (в источнике не указан). Направления, названные губернатором: "
        "промышленный сектор, IT, социальная сфера, культура, развитие авиасообщения.",
        "spheres": ["torgovlya", "ekonomika", "nauka-i-tekhnika", "kultura", "promyshlennost", "it",
                    "sotsialnaya-sfera", "aviasoobshchenie"],
        "parties": [("khmao-government", "party"), ("chelyabinsk-government", "party")],
        "signatories": ["teksler", "komarova"],  # "Главы регионов подписали документы"
        "mission": "chelyabinsk-yugra-utro",
        "signed": True,
        "signed_on": YUGRA_PLAN_SIGNING_DATE,
        "place": "Ханты-Мансийский автономный округ — Югра",
        "valid_from": YUGRA_PLAN_START,
        "valid_until": YUGRA_PLAN_END,
        # The text names the plan's areas, not its numbered items: one item per area, due at the end of
        # the plan's term. No text reports progress, so every item is still planned.
        "plan": [
            ("Наращивание сотрудничества в промышленном секторе", YUGRA_PLAN_END),
            ("Сотрудничество в отрасли IT", YUGRA_PLAN_END),
            ("Сотрудничество в социальной сфере", YUGRA_PLAN_END),
            ("Сотрудничество в сфере культуры", YUGRA_PLAN_END),
            ("Развитие авиасообщения между Челябинской областью и Югрой", YUGRA_PLAN_END),
        ],
    },
    {
        # [C] "реализуют соглашение о поставке": signed and being carried out; no date or number given.
        "slug": "midaus-alfapascal-pressure-sensors",
        "kind": "contract",
        "title": "Соглашение о поставке эталонных сенсоров давления",
        "summary": "«Мидаус» поставляет челябинскому предприятию «АльфаПаскаль» эталонные сенсоры давления. По "
        "пресс-релизу соглашение реализуется; дата подписания в источнике не указана.",
        "spheres": [],
        "parties": [("midaus", "supplier"), ("alfapascal", "customer")],
        "signatories": [],
        "mission": None,
        "signed": True,
        "signed_on": None,
    },
]  # fmt: skip

# --- Cooperation projects ---------------------------------------------------------------------
# [C] presents the first three as results of the cooperation that began with the 2023 visit
# ("Напомним, активное взаимодействие началось после визита в 2023 году"), hence their origin.

PROJECTS = [
    {
        "slug": "midaus-alfapascal-pressure-sensors",
        "title": "Поставка эталонных сенсоров давления для «АльфаПаскаль»",
        "description": "Ульяновская компания «Мидаус» и челябинская «АльфаПаскаль» реализуют соглашение о поставке "
        "уральскому предприятию эталонных сенсоров давления.",
        "parties": [("midaus", "supplier"), ("alfapascal", "customer")],
        "sectors": ["sredstva-izmereniy"],
        "stage": "in_implementation",
        "origin_mission": "ulyanovsk-chelyabinsk-2023",
        "agreement": "midaus-alfapascal-pressure-sensors",
    },
    {
        "slug": "alfapascal-midaus-deadweight-testers",
        "title": "Закупка грузопоршневых манометров у «АльфаПаскаль»",
        "description": "Ульяновское предприятие «Мидаус» закупает у партнёров из «АльфаПаскаль» грузопоршневые "
        "манометры.",
        "parties": [("alfapascal", "supplier"), ("midaus", "customer")],
        "sectors": ["sredstva-izmereniy"],
        "stage": "in_implementation",
        "origin_mission": "ulyanovsk-chelyabinsk-2023",
    },
    {
        "slug": "avtokomponent-ural-drive-shafts",
        "title": "Изготовление карданных валов отбора мощности для автозавода «Урал»",
        "description": "Ульяновский завод «Автокомпонент» ведёт подготовку технико-коммерческого предложения для "
        "Автомобильного завода «Урал» на изготовление карданных валов отбора мощности.",
        "parties": [("avtokomponent", "supplier"), ("avtozavod-ural", "customer")],
        "sectors": ["avtokomponenty"],
        "stage": "proposal",
        "origin_mission": "ulyanovsk-chelyabinsk-2023",
        "next_step": "Подготовить технико-коммерческое предложение",
    },
    {
        "slug": "competence-centre-metran-measuring-instruments",
        "title": "Поставки средств измерений «Метран Менеджмент» для ульяновских компаний",
        "description": "Центр компетенций развития промышленности Ульяновской области провёл встречу и переговоры "
        "с представителями «Метран Менеджмент» на предмет организации поставок средств измерений для "
        "ульяновских компаний.",
        "parties": [("ulyanovsk-industry-competence-centre", "initiator"), ("metran-management", "supplier")],
        "sectors": ["sredstva-izmereniy"],
        "stage": "negotiation",
        # (mission, organization a, organization b) of the meeting the project comes from
        "origin_meeting": ("chelyabinsk-ulyanovsk-return", "ulyanovsk-industry-competence-centre",
                           "metran-management"),
    },
]  # fmt: skip

# [C] (the return mission, RETURN_MISSION_SIGNING_DATE) is the latest news of every project above:
# their follow-up clock starts there, as if staff had recorded them that day.
PROJECTS_LAST_REPORTED_ON = RETURN_MISSION_SIGNING_DATE
# The demo staff login of the Ulyanovsk competence centre curates the projects (a placeholder person,
# see DEMO_LOGINS): the follow-up engine writes to the curator and the companies' demo logins.
DEMO_CURATOR = "staff-ulyanovsk"
# Demo logins get addresses in the reserved .example domain (RFC 2606): letters go nowhere real.
DEMO_EMAIL_DOMAIN = "missions-portal.example"

# --- Sources and the figures they claim ------------------------------------------------------
# Title: the headline, or the first sentence where the text has none; no text gives a URL.
# [T] "С 22 года организованы бизнес-миссии в 22 субъекта России" is about Ulyanovsk's programme,
# not about a mission or an agreement: it is in the region's profile, not a figure.

SOURCES = [
    {
        "title": "Министерство промышленности и торговли Самарской области организовало бизнес-миссию в новые "
        "территории России и Крым",
        "outlet": "",
        "published_on": SAMARA_RELEASE_DATE,
        "missions": ["samara-new-territories-2025"],
        "figures": [],
    },
    {
        "title": "Губернаторы Ульяновской и Тульской областей подписали соглашение о сотрудничестве, которое "
        "позволяет установить всесторонние двухсторонние связи в сфере экономики, культуры, образования, "
        "инвестиций и также придать им долгосрочный характер",
        "outlet": "",
        "published_on": None,
        "missions": ["ulyanovsk-tula"],
        "figures": [],
    },
    {
        "title": "3 февраля в Доме Правительства состоялась встреча глав регионов",
        "outlet": "",
        "published_on": None,
        "missions": ["chelyabinsk-ulyanovsk-return", "ulyanovsk-chelyabinsk-2023"],
        "figures": [
            {
                "mission": "chelyabinsk-ulyanovsk-return",
                "metric": "delegation_companies",
                "qualifier": "more_than",
                "number": 20,
                "quote": "Представители более чем 20 челябинских предприятий в рамках ответной бизнес-миссии "
                "приехали с Алексеем Леонидовичем в наш регион.",
            },
            {
                "mission": "ulyanovsk-chelyabinsk-2023",
                "metric": "contracts",
                "qualifier": "more_than",
                "number": 50,
                "quote": "По итогам прошлого визита мы привезли из Челябинской области более 50 новых контрактов – "
                "это новые рабочие места, загрузка предприятий, налоговые отчисления, рост экономики в целом.",
            },
        ],
    },
    {
        "title": "Ульяновская область и Республика Мордовия расширяют сотрудничество в сфере промышленной кооперации",
        "outlet": "Новости Ульяновска 73",
        "published_on": None,
        "missions": ["ulyanovsk-mordovia-round-table", "ulyanovsk-mordovia-saransk"],
        "figures": [
            {
                "mission": "ulyanovsk-mordovia-round-table",
                "metric": "companies_presented",
                "qualifier": "more_than",
                "number": 30,
                "quote": "Более 30 ульяновских предприятий представили свою продукцию и обозначили возможные точки "
                "взаимодействия с мордовскими партнёрами для развития межрегиональной кооперации.",
            },
            {
                "mission": "ulyanovsk-mordovia-round-table",
                "metric": "projects_negotiation",
                "qualifier": "exactly",
                "number": 25,
                "quote": "В стадии переговоров находится реализация 25 взаимовыгодных проектов.",
            },
        ],
    },
    {
        "title": "Губернатор Алексей Текслер обсудил сотрудничество в промсекторе и IT-отрасли с коллегами из "
        "соседнего региона",
        "outlet": "",
        "published_on": None,
        "missions": ["chelyabinsk-yugra-utro"],
        "figures": [],
    },
]

# --- One planned mission, for the B2B meeting requests -------------------------------------------
# Not from a press release: the one mission of the demo that has not happened yet, so that the
# meeting requests (partners) can be tried on `make demo`: registration is open while a mission is
# planned and has not started. It is dated DAYS_AHEAD days after the day the demo is loaded, and
# its B2B session is on its first day, in the venue's time. Its companies are the directory's
# companies above; the delegation's and the host side's demo logins are in DEMO_LOGINS.
PLANNED_MISSION = {
    "slug": "ulyanovsk-chelyabinsk-b2b-demo",
    "title": "Бизнес-миссия Ульяновской области в Челябинскую область (демонстрационная)",
    "origin": ULYANOVSK,
    "destinations": [CHELYABINSK],
    "organizer": "ulyanovsk-industry-competence-centre",
    "days_ahead": 45,
    "days": 2,
    "purpose": "Демонстрационная миссия для пробы запросов на B2B-встречи: компании делегации и "
    "принимающей стороны запрашивают встречи, организаторы составляют расписание сессии.",
    "delegation": ["midaus", "avtokomponent", "ukbp"],
    "hosts": ["alfapascal", "chkpz", "avtozavod-ural"],
    # (title, venue, start, end): the B2B session of the first day
    "b2b": ("B2B-сессия: поставщики и заказчики", "Челябинск", datetime.time(10, 0), datetime.time(13, 0)),
    # The session's configuration for the schedule builder (partners.scheduling), venue time:
    # 20-minute slots over the whole session, a coffee break, four tables for two people each.
    "b2b_session": {
        "starts": datetime.time(10, 0),
        "ends": datetime.time(13, 0),
        "slot_minutes": 20,
        "breaks": [(datetime.time(11, 20), datetime.time(11, 40))],
        "tables": 4,
        "seats": 2,
    },
}

# --- Demo logins ------------------------------------------------------------------------------
# One login per role, all with the demo password, printed by `load_demo`. Their people are
# placeholders, not public figures: the last name «Демо» appears in no press release above, and
# these people are kept out of delegations, signatories and meetings.
# (username, role, organization slug or None, first name, position)
DEMO_LOGINS = [
    ("staff-ulyanovsk", "staff", "ulyanovsk-industry-competence-centre", "Сотрудник",
     "Сотрудник (демонстрационная учётная запись)"),
    ("staff-chelyabinsk", "staff", "chelyabinsk-government", "Сотрудник",
     "Сотрудник (демонстрационная учётная запись)"),
    ("official", "official", None, "", ""),
    ("company-midaus", "company", "midaus", "Представитель", "Представитель (демонстрационная учётная запись)"),
    ("company-alfapascal", "company", "alfapascal", "Представитель",
     "Представитель (демонстрационная учётная запись)"),
    # The planned mission's delegation (with Midaus) and host side (with AlfaPascal).
    ("company-ukbp", "company", "ukbp", "Представитель",
     "Представитель (демонстрационная учётная запись)"),
    ("company-chkpz", "company", "chkpz", "Представитель", "Представитель (демонстрационная учётная запись)"),
]  # fmt: skip
