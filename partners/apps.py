from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and B2B")

    def ready(self):
        # The follow-up engine sends the meeting requests' letters; it learns their templates here.
        from .letters import letters_register

        letters_register()
