from django.core.management.base import BaseCommand

from agreements.services.agreements import agreements_refresh_statuses


class Command(BaseCommand):
    help = "Bring signed agreements into force and expire those past their term (the beat job, without a broker)."

    def handle(self, *args, **options):
        changed = agreements_refresh_statuses()
        self.stdout.write(f"{changed}")
