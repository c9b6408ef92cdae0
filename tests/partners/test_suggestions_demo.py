"""On the demo data, a company's suggestions page names a sensible partner with its reason."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_demo_companys_page_names_its_partner_and_why(settings):
    settings.DEBUG = True  # the demo logins' published password is refused otherwise
    call_command("load_demo", stdout=StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="company-midaus"))

    page = client.get(reverse("suggestions:company")).content.decode()

    assert (
        "Вы ищете «Грузопоршневые манометры» — АльфаПаскаль (Челябинская область) производит: "
        "Грузопоршневые манометры." in page
    )
    assert (
        "АльфаПаскаль (Челябинская область) ищет «Эталонные датчики давления» — вы производите: "
        "Эталонные сенсоры давления." in page
    )
    assert ".." not in page.split("<main")[1]  # the product's own full stop is not doubled
