from django.contrib import admin

from .models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("as_of", "status", "engine", "duration_seconds", "created_at", "created_by")
    list_filter = ("status", "engine")
    readonly_fields = [field.name for field in Snapshot._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # snapshots come from `kam analyze` or the import, not from a form
