from django.core.management.base import BaseCommand

from openkam.users.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the role groups (Administrator, Sales director...) and permissions."

    def handle(self, *args, **options) -> None:
        groups = roles_sync()
        for role, group in groups.items():
            self.stdout.write(f"{role.value}: {group.permissions.count()} permissions")
