"""Key-account decisions in the admin: read-only, because every write must go through the
services (a nomination changes the account's status and team; a handover its owner)."""

from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)


class _ReadOnly:
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NominationDecision)
class NominationDecisionAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("decided_on", "account", "kind", "owner", "decided_by", "capacity_override")
    list_filter = ("kind",)
    search_fields = ("account__name", "reason")
    list_select_related = ("account", "owner", "decided_by")


@admin.register(KeyAccountTypeAssignment)
class KeyAccountTypeAssignmentAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("created_at", "account", "type", "set_by")
    list_filter = ("type",)
    search_fields = ("account__name", "reason")
    list_select_related = ("account", "set_by")


@admin.register(ProspectAssessment)
class ProspectAssessmentAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("created_at", "account", "criterion", "answer", "assessed_by")
    list_filter = ("criterion", "answer")
    search_fields = ("account__name", "evidence")
    list_select_related = ("account", "assessed_by")


@admin.register(QualificationRating)
class QualificationRatingAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("created_at", "account", "criterion", "score", "rated_by")
    list_filter = ("criterion", "score")
    search_fields = ("account__name", "comment")
    list_select_related = ("account", "rated_by")


@admin.register(Handover)
class HandoverAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("created_at", "account", "from_owner", "to_owner", "handed_over_by")
    search_fields = ("account__name", "note")
    list_select_related = ("account", "from_owner", "to_owner", "handed_over_by")


@admin.register(QualificationWeights)
class QualificationWeightsAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "created_at",
        "fit",
        "relationship",
        "culture",
        "repurchase_frequency",
        "volume",
        "price_discipline",
        "set_by",
    )
