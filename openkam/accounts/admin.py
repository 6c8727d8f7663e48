from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Account, AccountTeamMember, Segment


class TeamInline(admin.TabularInline):
    model = AccountTeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Account)
class AccountAdmin(ScopedAdmin):
    account_id_attr = "pk"
    list_display = ("name", "external_id", "status", "country", "industry", "segment")
    list_filter = ("status", "segment", "country")
    search_fields = ("name", "legal_name", "external_id", "industry")
    raw_id_fields = ("parent",)
    list_select_related = ("segment",)


@admin.register(AccountTeamMember)
class AccountTeamMemberAdmin(ScopedAdmin):
    list_display = ("account", "user", "role", "since")
    list_filter = ("role",)
    search_fields = ("account__name", "user__username")
    raw_id_fields = ("account",)
    autocomplete_fields = ["user"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
