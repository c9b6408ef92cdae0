from django.db import migrations


def load_directory(apps, schema_editor):
    from companies.services import region_directory_sync

    region_directory_sync(
        district_model=apps.get_model("companies", "FederalDistrict"),
        region_model=apps.get_model("companies", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(load_directory, migrations.RunPython.noop)]
