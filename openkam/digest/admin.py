from django.contrib import admin

from .models import DigestDelivery, DigestRun, DigestSubscription


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "subscribed", "updated_at"]
    list_filter = ["subscribed"]
    search_fields = ["user__username", "user__email"]


class DeliveryInline(admin.TabularInline):
    model = DigestDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["user", "status", "reason", "email", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "as_of", "trigger", "status", "sent", "skipped", "failed"]
    list_filter = ["status", "trigger"]
    readonly_fields = [f.name for f in DigestRun._meta.fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False
