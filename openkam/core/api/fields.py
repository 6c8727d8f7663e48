"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of a `model` row the requesting user can see (`model.objects.visible_to(user,
    "view")`): any other id is "does not exist", never revealed."""

    def __init__(self, model: type[models.Model], **kwargs) -> None:
        # An empty queryset names the model (for the schema); the rows come from get_queryset.
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request is not None else None
        return self.queryset.model.objects.visible_to(user, "view")


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
