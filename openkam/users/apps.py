from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
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
        from .signals import remember_language_on_login

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="openkam.users.roles")
        user_logged_in.connect(remember_language_on_login, dispatch_uid="openkam.users.language")
