import pytest

from tests import factories


@pytest.mark.django_db
def test_every_factory_builds_a_saved_row():
    for name in dir(factories):
        factory_class = getattr(factories, name)
        if isinstance(factory_class, type) and name.endswith("Factory") and hasattr(factory_class, "_meta"):
            if getattr(factory_class._meta, "model", None) is None:
                continue
            obj = factory_class()
            assert obj.pk is not None, name


def test_staff_client_stays_signed_in_across_requests(staff_client):
    # force_login keys the session to the stored password hash: an unsaved password logs out.
    first = staff_client.get("/admin/")
    second = staff_client.get("/admin/")
    assert first.status_code == second.status_code == 200
    assert second.wsgi_request.user.username == "staff"
