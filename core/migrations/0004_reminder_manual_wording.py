"""The manual request to take training may now go to everyone not done, not only the
overdue: its shipped text no longer says the deadline has passed ({状況} says how far it is).
A text HR has changed is left as HR wrote it."""

from django.db import migrations

KIND = "reminder_manual"
OLD_JA = (
    "次の研修の受講期限が過ぎています。お手数ですが、リンクから研修を開き、"
    "できるだけ早く修了してください。"
)
NEW_JA = (
    "次の研修をまだ修了していません。お手数ですが、リンクから研修を開き、"
    "受講期限までに修了してください（期限を過ぎている場合は、できるだけ早くお願いします）。"
)
OLD_EN = (
    "The deadline of the training below has passed. Please open it from the link and "
    "complete it as soon as you can."
)
NEW_EN = (
    "You have not completed the training below yet. Please open it from the link and "
    "complete it by its deadline (as soon as you can if the deadline has passed)."
)


def reword(apps, schema_editor, forward=True):
    NoticeTemplate = apps.get_model("core", "NoticeTemplate")
    pairs = [(OLD_JA, NEW_JA, "body_ja"), (OLD_EN, NEW_EN, "body_en")]
    for row in NoticeTemplate.objects.filter(kind=KIND):
        changed = False
        for old, new, field in pairs:
            if not forward:
                old, new = new, old
            text = getattr(row, field)
            if old in text:
                setattr(row, field, text.replace(old, new))
                changed = True
        if changed:
            row.save(update_fields=["body_ja", "body_en"])


def unreword(apps, schema_editor):
    reword(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_scheduled_report_notice'),
    ]

    operations = [
        migrations.RunPython(reword, unreword),
    ]
