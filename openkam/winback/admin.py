from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Campaign, CampaignAccount


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "offer_kind", "starts_on", "ends_on", "budget", "owner")
    list_filter = ("offer_kind",)
    search_fields = ("name",)
    raw_id_fields = ("owner",)


@admin.register(CampaignAccount)
class CampaignAccountAdmin(ScopedAdmin):
    list_display = ("campaign", "account", "status", "offer_cost", "regained", "revenue_after")
    list_filter = ("status", "regained")
    search_fields = ("account__name", "campaign__name")
    raw_id_fields = ("campaign", "account")
    list_select_related = ("campaign", "account")
