from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "openkam.users"
    label = "users"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        # Permissions only exist after Django's own post_migrate handler has run, so the
        # role groups are synchronised there too (and again by `kam setup`).
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="openkam.users.roles")
