from rest_framework import serializers

from ..models import ChangeLogEntry


class ChangeLogEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ChangeLogEntry
        fields = [
            "id",
            "created_at",
            "username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]
