"""Django admin: read-mostly views of the answers and assessments for support staff."""

from django.contrib import admin

from .models import MaturityAssessment, SurveyResponse


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["department", "fiscal_year", *MaturityAssessment.AXES, "updated_at"]
    list_filter = ["fiscal_year"]
    raw_id_fields = ["department", "entered_by"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "fiscal_year", "unit", "submitted_at"]
    list_filter = ["fiscal_year", "questionnaire"]
    raw_id_fields = ["user", "unit"]
    readonly_fields = ["submitted_at"]
