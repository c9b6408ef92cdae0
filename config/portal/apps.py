from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that read across the three apps (home, dashboard, a mission's outcomes, region and
    company pages, the personal area) and the demo data; it sits above companies, missions and agreements."""

    name = "config.portal"
    label = "portal"
    verbose_name = _("Portal pages")

    def ready(self):
        # The figures' cache learns of every write to the rows its figures read.
        from .figures_cache import connect_signals

        connect_signals()
