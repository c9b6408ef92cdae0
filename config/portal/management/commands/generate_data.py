import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Organization
from config.portal.generate.base import SLUG_PREFIX
from config.portal.generate.dataset import data_generate


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate a realistic, reproducible data set for load tests: scale 1 is a federal rollout "
        "(100,000 companies, 10,000 missions, 1,000,000 meetings, 200,000 projects, 20,000 agreements)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=0.1, help=gettext_lazy("Share of the federal rollout's size.")
        )
        parser.add_argument("--seed", type=int, default=18, help=gettext_lazy("The same seed gives the same data."))
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help=gettext_lazy("The day the data set is generated as of (YYYY-MM-DD); today by default."),
        )

    def handle(self, *args, scale, seed, today, **options):
        if not 0 < scale <= 10:
            raise CommandError(_("The scale must be above 0 and at most 10."))
        if Organization.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(_("This database already holds generated data: generate into an empty database."))
        written = data_generate(scale=scale, seed=seed, today=today or timezone.localdate(), out=self.stdout.write)
        for label, count in sorted(written.items()):
            self.stdout.write(f"  {label}: {count:,}")
