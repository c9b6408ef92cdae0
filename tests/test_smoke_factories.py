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
