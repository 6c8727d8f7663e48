from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import AccountProfile, KeyFigure, PortraitSection


@admin.register(AccountProfile)
class AccountProfileAdmin(ScopedAdmin):
    list_display = ("account", "sites", "updated_at")
    search_fields = ("account__name",)
    raw_id_fields = ("account",)
    list_select_related = ("account",)


@admin.register(KeyFigure)
class KeyFigureAdmin(ScopedAdmin):
    list_display = ("account", "year", "turnover", "currency", "employees", "source")
    list_filter = ("year",)
    search_fields = ("account__name",)
    raw_id_fields = ("account",)
    list_select_related = ("account",)


@admin.register(PortraitSection)
class PortraitSectionAdmin(ScopedAdmin):
    list_display = ("account", "area", "reviewed_on", "source")
    list_filter = ("area",)
    search_fields = ("account__name", "text")
    raw_id_fields = ("account",)
    list_select_related = ("account",)
    date_hierarchy = "reviewed_on"
