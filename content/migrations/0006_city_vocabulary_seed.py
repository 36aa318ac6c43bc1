"""The first groups of the city's search vocabulary (the words staff type for what the
guidebook says otherwise), and the permission to keep it for whoever keeps the glossary:
Editors, Moderators and the DX office's reviewers. Only adds: groups an administrator
already changed keep their other permissions."""

from django.db import migrations

GROUPS = [
    ("ハンコ\n押印\n印鑑\n判子\nはんこ\n捺印\nseal", "押印の見直しを探す職員が使う言い方"),
    ("ペーパーレス\nペーパーレス化\n紙の削減\n紙を減らす\n電子化\npaperless", "紙を減らす取り組み"),
    (
        "RPA\nソフトウェアロボット\n定型作業の自動化\nrobotic process automation",
        "パソコンの定型作業を自動で行う仕組み",
    ),
    ("マイナンバー\n個人番号\nマイナンバーカード\n個人番号カード\nMy Number", "個人番号制度"),
    (
        "生成AI\n生成系AI\n対話型AI\nChatGPT\nCopilot\nGemini\nClaude\ngenerative AI",
        "文章などを作るAIと、その代表的な製品名",
    ),
    (
        "DX\nデジタルトランスフォーメーション\nデジタル・トランスフォーメーション\n"
        "digital transformation",
        "",
    ),
    ("電子申請\nオンライン申請\nonline application", "窓口に来なくてよい申請"),
    ("テレワーク\nリモートワーク\n在宅勤務\ntelework\nremote work", ""),
    ("管理職\n所属長\nmanager", ""),
    ("セキュリティ\n情報セキュリティ\nsecurity\ninformation security", ""),
    ("KPI\n重要業績評価指標\nkey performance indicator", ""),
    ("業務改善\nbusiness improvement", ""),
]


GROUPS_KEEPING_IT = ("Editors", "Moderators", "DX推進課レビュー")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="content", model="cityvocabulary")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_cityvocabulary",
            defaults={"name": f"Can {action} search vocabulary group"},
        )[0]
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS_KEEPING_IT):
        group.permissions.add(*permissions)


def seed(apps, schema_editor):
    grant(apps)
    CityVocabulary = apps.get_model("content", "CityVocabulary")
    if CityVocabulary.objects.exists():
        return
    CityVocabulary.objects.bulk_create(
        CityVocabulary(terms=terms, note=note) for terms, note in GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_city_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
