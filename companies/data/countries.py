"""The world's countries (ISO 3166-1) as the directory ships them, read from maintained sources.

* Codes and English names: pycountry's copy of ISO 3166-1 (the common name where one exists:
  "Iran", not "Iran, Islamic Republic of").
* Russian names: pycountry's Russian translation of ISO 3166-1 (gettext domain "iso3166-1"),
  with the few entries whose capitalization or wording is not Russian usage corrected below.
* Time zones: the first zone the tz database's zone.tab lists for the country, from the tzdata
  package; for the few countries where that first zone is an outlying area (Brazil's Fernando de
  Noronha, Canada's Newfoundland, Australia's Lord Howe Island, Ukraine's Crimea, which the
  directory has as a federal subject), the zone of the capital.

Russia is not among them: its federal subjects are in companies.data.regions.
"""

import gettext
from importlib import resources

import pycountry

RUSSIA = "RU"

# pycountry's Russian catalogue gets these wrong (lower-case words of a proper name, or a
# translation nobody uses); the rest are taken as it gives them.
RUSSIAN_CORRECTIONS = {
    "US": "Соединённые Штаты Америки",
    "UM": "Внешние малые острова США",
    "CF": "Центральноафриканская Республика",
    "DO": "Доминиканская Республика",
    "MP": "Северные Марианские острова",
}

# zone.tab lists these countries' outlying areas first; venues are mostly in the capital's zone.
ZONE_CORRECTIONS = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


def _first_zones() -> dict[str, str]:
    """ISO code → the first zone zone.tab lists for that country."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_comment = line.split("\t")
            zones.setdefault(code, zone)
    return zones


def countries() -> list[dict[str, str]]:
    """Every ISO 3166-1 country but Russia: code (alpha-2), name_ru, name_en, time_zone ("" when
    zone.tab lists none, as for Bouvet Island)."""
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    zones = _first_zones()
    rows = []
    for country in pycountry.countries:
        if country.alpha_2 == RUSSIA:
            continue
        rows.append(
            {
                "code": country.alpha_2,
                "name_ru": RUSSIAN_CORRECTIONS.get(country.alpha_2) or russian.gettext(country.name),
                "name_en": getattr(country, "common_name", None) or country.name,
                "time_zone": ZONE_CORRECTIONS.get(country.alpha_2) or zones.get(country.alpha_2, ""),
            }
        )
    return rows


# The other names a Russian text uses for the countries missions commonly go to, each in the
# nominative: short and colloquial forms, abbreviations and the adjective ("белорусская делегация",
# "китайские партнёры"). The short form of a "Республика X" name ("Молдова") is derived by
# the press-release reader (releases.extraction.regions) for every row, so it is not repeated here.
COUNTRY_ALIASES_RU = {
    "AE": ("ОАЭ", "Эмираты", "эмиратский"),
    "AM": ("армянский",),
    "AZ": ("азербайджанский",),
    "BY": ("Республика Беларусь", "Белоруссия", "белорусский"),
    "CN": ("КНР", "Китайская Народная Республика", "китайский"),
    "CU": ("кубинский",),
    "DE": ("ФРГ", "немецкий", "германский"),
    "DZ": ("алжирский",),
    "EG": ("египетский",),
    "ET": ("эфиопский",),
    "GE": ("грузинский",),
    "HU": ("венгерский",),
    "ID": ("индонезийский",),
    "IN": ("индийский",),
    "IQ": ("иракский",),
    "IR": ("Исламская Республика Иран", "иранский"),
    "KG": ("Кыргызстан", "Киргизская Республика", "киргизский", "кыргызский"),
    "KP": ("КНДР", "северокорейский"),
    "KR": ("Южная Корея", "южнокорейский"),
    "KZ": ("Республика Казахстан", "казахстанский"),
    "LA": ("Лаос", "лаосский"),
    "MD": ("Молдавия", "молдавский"),
    "MN": ("монгольский",),
    "MY": ("малайзийский",),
    "PK": ("пакистанский",),
    "QA": ("катарский",),
    "RS": ("сербский",),
    "SA": ("саудовский",),
    "SY": ("Сирия", "сирийский"),
    "TH": ("тайский", "таиландский"),
    "TJ": ("Республика Таджикистан", "таджикский"),
    "TM": ("Туркмения", "туркменский"),
    "TR": ("Турецкая Республика", "турецкий"),
    "US": ("США", "американский"),
    "UZ": ("Республика Узбекистан", "узбекский", "узбекистанский"),
    "VE": ("Венесуэла", "венесуэльский"),
    "VN": ("Социалистическая Республика Вьетнам", "вьетнамский"),
    "ZA": ("ЮАР", "Южно-Африканская Республика", "южноафриканский"),
}
