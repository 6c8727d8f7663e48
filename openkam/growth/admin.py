from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import GrowthOpportunity, WalletEstimate


@admin.register(GrowthOpportunity)
class GrowthOpportunityAdmin(ScopedAdmin):
    list_display = ("account", "category", "kind", "status", "expected_revenue", "current")
    list_filter = ("kind", "status", "current")
    search_fields = ("account__name", "category__name")
    readonly_fields = ("why", "as_of", "current")


@admin.register(WalletEstimate)
class WalletEstimateAdmin(ScopedAdmin):
    list_display = ("account", "category", "year", "estimated_spend", "source")
    list_filter = ("year", "source")
    search_fields = ("account__name", "category__name")
