import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, AgreementParty, CooperationProject, PlanItem, Signatory, Sphere
from companies.exceptions import PortalError
from companies.models import Need, Offer, Organization, Person, Sector
from config.portal.demo.loader import demo_load, demo_logins_ensure, demo_user_ensure
from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure, Source
from partners.models import HostParticipant
from partners.suggestions.services import suggestions_refresh_all

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - the published demo login; refused outside DEBUG (see below)
ADMIN_URL = "http://127.0.0.1:8000/admin/"

SUMMARY_MODELS = (
    Sector, Sphere, Organization, Person, Offer, Need, Mission, DelegationMember, HostParticipant, ProgramItem,
    Meeting, Source, ReportedFigure, Agreement, AgreementParty, Signatory, PlanItem, CooperationProject,
)  # fmt: skip


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo data set transcribed from five press releases (idempotent) and ensure the demo logins, "
        "one for each role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-login", action="store_true", help=gettext_lazy("Do not create the demo logins."))

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD
        with_login = not options["no_login"]
        # Logins with a password printed in the README must not appear on a real deployment.
        if with_login and password == DEMO_PASSWORD and not settings.DEBUG:
            raise CommandError(
                _("Refusing the published demo password with DEBUG off: set DEMO_PASSWORD, or pass --no-login.")
            )
        try:
            with transaction.atomic():
                created = demo_load()
                logins = []
                if with_login:
                    demo_user_ensure(username=DEMO_USERNAME, password=password)
                    logins = demo_logins_ensure(password=password)
        except PortalError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        # The partner suggestions of every demo company, from its offers, needs, products and sectors
        # (the per-company refreshes after the commit leave the others' marks stale).
        suggestions_refresh_all()
        self.stdout.write(_("Demo data loaded (rows in the database, new in this run):"))
        for model in SUMMARY_MODELS:
            self.stdout.write(
                _("  %(name)s: %(total)d (%(new)d new)")
                % {"name": model._meta.verbose_name_plural, "total": model.objects.count(), "new": created[model]}
            )
        if with_login:
            self.stdout.write(
                _("Demo login: %(url)s  user: %(user)s  password: %(password)s")
                % {"url": ADMIN_URL, "user": DEMO_USERNAME, "password": password}
            )
            roles = {
                "staff": _("ministry staff"),
                "official": _("official, reads everything and changes nothing"),
                "company": _("company representative"),
            }
            for username, role in logins:
                self.stdout.write(
                    _("Demo login (%(role)s): user: %(user)s  password: %(password)s")
                    % {"role": roles[role], "user": username, "password": password}
                )
