"""Editors maintain the question bank; the 「DX推進課レビュー」 group approves guidebook changes.

Before this, only superusers could open the question bank (nobody held the snippet
permissions of ``courses.Question`` and ``courses.QuestionCategory``), and the approval task
of the workflow named only Wagtail's ``Moderators`` group, which no role of the product fills.
This grants Editors and Moderators the question bank, creates the reviewers' group (the DX
office's staff who approve: admin access, the glossary, and editing the guidebook so they can
open a page under review), and adds it to the approval task. It only adds: existing
installations keep whatever their administrators already set.
"""

from django.db import migrations

REVIEWERS = "DX推進課レビュー"
TASK_NAME = "DX推進課の承認"
QUESTION_BANK_MODELS = {"question": "question", "questioncategory": "question category"}
ACTIONS = ("add", "change", "delete", "view")
REVIEWER_PAGE_PERMISSIONS = ("change", "publish")


def _permission(apps, app_label: str, model: str, codename: str, name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GuidebookIndexPage = apps.get_model("content", "GuidebookIndexPage")

    question_bank = [
        _permission(apps, "courses", model, f"{action}_{model}", f"Can {action} {label}")
        for model, label in QUESTION_BANK_MODELS.items()
        for action in ACTIONS
    ]
    for name in ("Editors", "Moderators"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*question_bank)

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        *[
            _permission(
                apps,
                "content",
                "glossaryterm",
                f"{action}_glossaryterm",
                f"Can {action} glossary term",
            )
            for action in ACTIONS
        ],
    )
    index = GuidebookIndexPage.objects.order_by("path").first()
    if index is not None:
        for action in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=reviewers,
                page_id=index.pk,
                permission=_permission(
                    apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page"
                ),
            )
    for task in GroupApprovalTask.objects.filter(name=TASK_NAME):
        task.groups.add(reviewers)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REVIEWERS).delete()
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="courses",
                content_type__model__in=list(QUESTION_BANK_MODELS),
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_review_workflow"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
