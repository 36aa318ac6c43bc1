"""Guidebook views that are not pages. Included under "guide/" before Wagtail's catch-all."""

from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("search/", views.guidebook_search, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("chapters/<int:page_id>/read/", views.chapter_read, name="chapter_read"),
    path("editions/<int:page_id>/pdf/", views.guidebook_pdf, name="edition_pdf"),
]
