from rest_framework import serializers

from ..models import User
from ..roles import user_roles


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "permissions",
            "max_key_accounts",
            "language",
            "buddhist_era",
        ]
        read_only_fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "max_key_accounts",
        ]

    def get_roles(self, user) -> list[str]:
        return [role.value for role in user_roles(user)]

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())
