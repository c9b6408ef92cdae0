"""Store every organization's names in their normal form (companies.names.name_normal_form).

A row whose normal form would take the (region, name) of another row, or leave no name at all, keeps
its name as it is: staff see it in the admin, and the next save there asks them to settle it.
"""

from django.db import migrations

from companies.names import name_normal_form

NAME_FIELDS = ("name", "short_name", "name_original")


def normalize_names(apps, schema_editor):
    Organization = apps.get_model("companies", "Organization")
    taken = set(Organization.objects.values_list("region_id", "name"))
    for organization in Organization.objects.order_by("pk").iterator():
        values = {field: name_normal_form(getattr(organization, field)) for field in NAME_FIELDS}
        if values == {field: getattr(organization, field) for field in NAME_FIELDS}:
            continue
        if not values["name"] or (
            values["name"] != organization.name and (organization.region_id, values["name"]) in taken
        ):
            values["name"] = organization.name
        else:
            taken.discard((organization.region_id, organization.name))
            taken.add((organization.region_id, values["name"]))
        Organization.objects.filter(pk=organization.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0015_profile_change"),
    ]

    operations = [
        migrations.RunPython(normalize_names, migrations.RunPython.noop),
    ]
