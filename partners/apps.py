from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and B2B")

    def ready(self):
        # The suggestions' receivers and tasks register themselves on import: a sub-package's tasks
        # module is not one Celery's autodiscovery looks at.
        # The follow-up engine sends the meeting requests' letters; it learns their templates here.
        from .letters import letters_register
        from .suggestions import signals, tasks  # noqa: F401

        letters_register()
