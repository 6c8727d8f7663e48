from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import HealthScore, HealthWeights


class _ReadOnly:
    """Scores are computed and weights are history: the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HealthScore)
class HealthScoreAdmin(_ReadOnly, ScopedAdmin):
    list_display = ("as_of", "account", "score", "level", "rolled_up")
    list_filter = ("level", "rolled_up", "as_of")
    search_fields = ("account__name",)
    raw_id_fields = ("account", "snapshot", "weights")
    list_select_related = ("account",)


@admin.register(HealthWeights)
class HealthWeightsAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "green_from", "amber_from", "note", "created_by")
    list_select_related = ("created_by",)
