from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Directory")

    def ready(self):
        # Registers the SQLite functions of the embedded default on every new connection.
        from . import search  # noqa: F401
