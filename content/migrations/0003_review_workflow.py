"""The editorial workflow: the DX office reviews every change to the guidebook.

Creates the workflow "DX推進課レビュー" with one group approval task for the Moderators group,
assigns it to the guidebook index (so to every edition and chapter), and lets Editors and
Moderators maintain the glossary. Editors already may add and edit pages (Wagtail's defaults);
only Moderators may approve and publish.
"""

from django.db import migrations

WORKFLOW_NAME = "DX推進課レビュー"
TASK_NAME = "DX推進課の承認"
GLOSSARY_ACTIONS = ("add", "change", "delete", "view")


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GuidebookIndexPage = apps.get_model("content", "GuidebookIndexPage")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    editors, _ = Group.objects.get_or_create(name="Editors")

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
    task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    index = GuidebookIndexPage.objects.order_by("path").first()
    if index is not None:
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})

    glossary_type, _ = ContentType.objects.get_or_create(app_label="content", model="glossaryterm")
    for action in GLOSSARY_ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=glossary_type,
            codename=f"{action}_glossaryterm",
            defaults={"name": f"Can {action} glossary term"},
        )
        editors.permissions.add(permission)
        moderators.permissions.add(permission)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_home_and_guide_pages"),
        ("wagtailcore", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
