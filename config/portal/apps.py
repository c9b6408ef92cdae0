from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that read across the three apps (home, dashboard, a mission's outcomes, region and
    company pages, the personal area) and the demo data; it sits above companies, missions and agreements."""

    name = "config.portal"
    label = "portal"
    verbose_name = _("Portal pages")
