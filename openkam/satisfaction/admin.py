from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ScopedAdmin):
    list_display = ("account", "stakeholder", "answered_on", "csat", "nps", "source", "author")
    list_filter = ("source",)
    search_fields = ("account__name", "stakeholder__name", "comment")
    raw_id_fields = ("account", "stakeholder", "author")
    list_select_related = ("account", "stakeholder", "author")
    date_hierarchy = "answered_on"
