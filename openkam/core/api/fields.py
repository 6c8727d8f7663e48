"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's slug lookup, refusing text PostgreSQL cannot store or compare (a NUL byte) with a
    400 instead of letting the database raise a 500 (DRF's CharField does this; this field
    did not)."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "null_characters": _("Null characters are not allowed."),
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")
        return super().to_internal_value(data)
