from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Directory")

    def ready(self):
        from django.db.models.signals import post_migrate

        # search registers the SQLite functions of the embedded default on every new connection;
        # signals keep the search's stored texts current.
        from . import search, signals  # noqa: F401

        # After the last portal app has migrated, when Django has created every permission the role
        # groups hold (permissions are created app by app, in INSTALLED_APPS order).
        last_app = apps.get_app_config(settings.PORTAL_APPS[-1])
        post_migrate.connect(_sync_groups, sender=last_app, dispatch_uid="companies.roles_sync_groups")


def _sync_groups(sender, **kwargs):
    from .services import roles_sync_groups

    roles_sync_groups()
