from django.contrib import admin

from .models import SelloutImport


@admin.register(SelloutImport)
class SelloutImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "created_by", "created_at", "imported", "rejected", "duplicates")
    readonly_fields = [f.name for f in SelloutImport._meta.fields]
