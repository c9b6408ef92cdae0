import pytest
from tests.agreements.test_dashboard import *  # noqa
from tests.agreements.test_dashboard import known_data  # noqa

def test_dbg(staff_client, known_data):
    r = staff_client.get("/")
    print(r.context["user"], r.context["user"].is_staff, r.context["shows_unpublished"], r.context["figures"])
