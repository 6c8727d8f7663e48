"""The admin applies the same visibility rules as the UI and API, and records every change."""

from __future__ import annotations

from django.contrib import admin

from .changelog import (
    changelog_record,
    creation_changes,
    deletion_changes,
    model_snapshot,
    snapshot_diff,
)
from .models import ChangeAction, ChangeLogEntry


class ScopedAdmin(admin.ModelAdmin):
    """For models with `objects.visible_to(user, action)`: an account's data, in the admin."""

    # The attribute holding the account id the change belongs to ("pk" for an account).
    account_id_attr = "account_id"

    def get_queryset(self, request):
        return super().get_queryset(request).model.objects.visible_to(request.user, "view")

    def _in_scope(self, request, obj, action: str) -> bool:
        return type(obj).objects.visible_to(request.user, action).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj, "change"))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj, "delete"))

    def save_model(self, request, obj, form, change) -> None:
        before = model_snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        changes = snapshot_diff(before, model_snapshot(obj)) if change else creation_changes(obj)
        changelog_record(
            actor=request.user,
            action=ChangeAction.UPDATE if change else ChangeAction.CREATE,
            instance=obj,
            account_id=getattr(obj, self.account_id_attr),
            changes=changes,
        )

    def delete_model(self, request, obj) -> None:
        changelog_record(
            actor=request.user,
            action=ChangeAction.DELETE,
            instance=obj,
            account_id=getattr(obj, self.account_id_attr),
            changes=deletion_changes(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "username", "action", "object_repr", "account_id")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
