"""The first groups of the city's search vocabulary: the words staff type for what the
guidebook says otherwise. Editors change them under Snippets > Search vocabulary."""

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


def seed(apps, schema_editor):
    CityVocabulary = apps.get_model("content", "CityVocabulary")
    if CityVocabulary.objects.exists():
        return
    CityVocabulary.objects.bulk_create(
        CityVocabulary(terms=terms, note=note) for terms, note in GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0005_city_vocabulary")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
