from django.db import migrations


def load_countries_and_zones(apps, schema_editor):
    from companies.services import country_directory_sync, region_time_zones_fill

    region_model = apps.get_model("companies", "Region")
    region_time_zones_fill(region_model=region_model)
    country_directory_sync(region_model=region_model)


class Migration(migrations.Migration):
    dependencies = [("companies", "0010_directory_both_sides")]

    operations = [migrations.RunPython(load_countries_and_zones, migrations.RunPython.noop)]
