from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Activity, ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_entertainment", "order")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("subject", "account", "kind", "occurred_at", "purpose", "author")
    list_filter = ("kind", "purpose")
    search_fields = ("subject", "account__name")
    raw_id_fields = ("account", "author", "their_people")
    filter_horizontal = ("our_people",)
    list_select_related = ("account", "kind", "author")
    date_hierarchy = "occurred_at"
