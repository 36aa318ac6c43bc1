"""The survey screens: answer a questionnaire, the results, the maturity trend and entry."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("answer/<int:enrollment_pk>/", views.answer, name="answer"),
    path("results/", views.results, name="results"),
    path("maturity/", views.maturity, name="maturity"),
    path("maturity/<int:department_pk>/edit/", views.maturity_edit, name="maturity_edit"),
]
