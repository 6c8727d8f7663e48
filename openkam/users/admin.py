from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Key account management"), {"fields": ("max_key_accounts",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
