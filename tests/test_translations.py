"""Russian is the default language: its catalogue is complete, compiled and used."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"


def _po_entries() -> list[dict]:
    """The entries of django.po: context, msgid, plural, translations and flags (a small reader)."""
    entries, entry, key = [], None, None
    for line in (LOCALE / "django.po").read_text().splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? "(.*)"$', line):
            name, index, text = match.groups()
            key = (name, index)
            if name == "msgstr":
                entry["msgstr"][index or "0"] = text
            else:
                entry[name] = text
        elif line.startswith('"') and key:
            name, index = key
            if name == "msgstr":
                entry["msgstr"][index or "0"] += line[1:-1]
            else:
                entry[name] += line[1:-1]
    return [e for e in entries if e["msgid"]]


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


def test_russian_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _po_entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert (untranslated, fuzzy) == ([], [])


def test_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in _po_entries():
        if "msgid_plural" in entry:
            continue
        msgid, expected = _unescape(entry["msgid"]), _unescape(entry["msgstr"]["0"])
        got = compiled.pgettext(_unescape(entry["msgctxt"]), msgid) if "msgctxt" in entry else compiled.gettext(msgid)
        if got != expected:
            stale.append(msgid)
    assert stale == [], "run `make messages` to recompile django.mo"


@pytest.mark.django_db
def test_pages_and_admin_speak_russian_by_default(client, staff_client):
    home = client.get("/").content.decode()
    assert '<html lang="ru">' in home
    assert "Регионы" in home and "Панель мониторинга" in home
    admin = staff_client.get("/admin/").content.decode()
    assert "Бизнес-миссии" in admin or "бизнес-миссии" in admin


@pytest.mark.django_db
def test_english_is_available_through_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert "Regions" in home
