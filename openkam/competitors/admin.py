from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import AccountCompetitor, AccountCompetitorObservation, Competitor


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)


class ObservationInline(admin.TabularInline):
    model = AccountCompetitorObservation
    extra = 0
    readonly_fields = (
        "recorded_at",
        "recorded_by",
        "share_of_wallet",
        "threat_level",
        "last_seen",
        "won_account_on",
    )
    can_delete = False


@admin.register(AccountCompetitor)
class AccountCompetitorAdmin(ScopedAdmin):
    list_display = ("competitor", "account", "threat_level", "share_of_wallet", "last_seen")
    list_filter = ("threat_level",)
    search_fields = ("competitor__name", "account__name")
    raw_id_fields = ("account",)
    list_select_related = ("account", "competitor")
    inlines = [ObservationInline]
