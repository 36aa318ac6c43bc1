"""Replace Wagtail's welcome page with our HomePage and add the guidebook index at /guide/.

So that ``migrate`` alone gives a working page tree:

    Root > HomePage "ホーム" (site root) > GuidebookIndexPage "DXガイドブック" (slug guide)
"""

from django.db import migrations

INDEX_TITLE = "DXガイドブック"


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("content", "HomePage")
    GuidebookIndexPage = apps.get_model("content", "GuidebookIndexPage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    welcome = Page.objects.filter(content_type=page_type, depth=2, slug="home").first()
    if welcome is not None and welcome.numchild:
        return  # someone built on the welcome page; leave their tree alone
    path = welcome.path if welcome else None
    if welcome is not None:
        welcome.delete()  # its Site goes with it (CASCADE)
    if path is None:
        last = Page.objects.filter(depth=2).order_by("-path").first()
        path = "0001" + f"{int(last.path[4:8]) + 1:04d}" if last else "00010001"
        root = Page.objects.get(depth=1)
        root.numchild += 1
        root.save(update_fields=["numchild"])

    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="ホーム",
        draft_title="ホーム",
        title_en="Home",
        slug="home",
        content_type=ContentType.objects.get_or_create(app_label="content", model="homepage")[0],
        path=path,
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    GuidebookIndexPage.objects.create(
        title=INDEX_TITLE,
        draft_title=INDEX_TITLE,
        title_en="DX guidebook",
        summary="市役所で働くすべての職員のための、DXの考え方と進め方の手引きです。",
        summary_en="A guide to what DX means and how to do it, for everyone working at city hall.",
        slug="guide",
        content_type=ContentType.objects.get_or_create(
            app_label="content", model="guidebookindexpage"
        )[0],
        path=path + "0001",
        depth=3,
        numchild=0,
        url_path="/home/guide/",
        locale=locale,
        live=True,
    )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        Site.objects.filter(is_default_site=True).update(root_page=home)


def remove_pages(apps, schema_editor):
    apps.get_model("content", "GuidebookIndexPage").objects.filter(slug="guide").delete()
    apps.get_model("content", "HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
