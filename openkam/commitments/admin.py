from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Commitment, CustomerRequest


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin):
    list_display = ("description", "account", "direction", "owner", "due_on", "status")
    list_filter = ("status", "direction")
    search_fields = ("description", "account__name")
    raw_id_fields = (
        "account",
        "owner",
        "their_owner",
        "activity",
        "plan_action",
        "tender",
        "author",
    )
    list_select_related = ("account", "owner")
    date_hierarchy = "due_on"


@admin.register(CustomerRequest)
class CustomerRequestAdmin(ScopedAdmin):
    list_display = ("subject", "account", "kind", "owner", "received_at", "first_answered_at")
    list_filter = ("kind",)
    search_fields = ("subject", "account__name")
    raw_id_fields = ("account", "owner", "stakeholder", "author")
    list_select_related = ("account", "owner")
    date_hierarchy = "received_at"
