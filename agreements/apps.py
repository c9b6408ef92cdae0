from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements and projects")

    def ready(self):
        # The follow-up engine's start-up checks and tasks register themselves on import: a sub-package's
        # tasks module is not one Celery's autodiscovery looks at.
        from .followup import checks, tasks  # noqa: F401
