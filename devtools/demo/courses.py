"""Demo courses: the mandatory "DX基礎研修" and "DX PRO育成研修" for champions.

``courses_seed()`` is idempotent: pages are found by slug and questions by (category, name),
so a second run creates nothing. The quiz questions come from ``fixtures/dx_basics.gift``
through the same importer editors use. When the guidebook demo exists
(``devtools.demo.guidebook.guidebook_seed``), the basics lessons link the chapters of its
summary edition and the DX PRO lessons the full-edition chapters behind them; otherwise they
are plain lessons that the learner marks read. No duration is typed: every lesson's and
course's minutes are worked out from the content (``durations``). All texts are written for
this project.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Page

from content.models import ChapterPage, GuidebookPage, HomePage
from courses.interchange import parse_gift
from courses.interchange.importing import questions_import
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonChapter,
    LessonPage,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizSlot,
    ReviewPolicy,
)

from .durations import course_minutes_sync

GIFT_FILE = Path(__file__).resolve().parent / "fixtures" / "dx_basics.gift"
BASICS_CATEGORY = "DX基礎研修"


def _text(*paragraphs: str) -> str:
    return json.dumps([{"type": "text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}])


BASICS_LESSONS = [
    ("なぜ今DXなのか", "why-dx", _text(
        "人口が減り、職員も減るなかで、住民の暮らしはデジタルが当たり前になりました。",
        "この研修では、ガイドブック概要版を読みながら、DXが自分の仕事にどう関わるかを考えます。",
    )),
    ("デジタル化とDXの違い", "digitisation-and-dx", _text(
        "紙を電子にすることはデジタル化です。DXは、それを使って仕事の流れやサービスを変えることです。",
    )),
    ("仕事をSVOで書いてみる", "svo", _text(
        "「誰が・何を・どうする」の一文で仕事を書くと、説明しにくかった部分が見えてきます。",
        "次に、その仕事は何のためか（WHY）、どう変えられるか（HOW）を考えます。",
    )),
]  # fmt: skip

#: DX PRO育成研修: what a DX PRO does, each lesson with the full-edition chapters behind it.
PRO_LESSONS = [
    ("DX PROの役割", "role", _text(
        "DX PROは、所属長が各所属から選ぶ、職場のDXの先導役です。本市では任期を最長3年度とし、"
        "異動しても役割を引き継ぎます。情報システムの専門家である必要はありません。求められるのは、"
        "自分たちの仕事を一番よく知る立場から、同僚と一緒に仕事の進め方を見直すことです。",
        "主な仕事は三つあります。一つ目は、同僚が書いたSVOワークシートを読み、文ごとにコメントを"
        "付けて、差し戻すか承認することです。二つ目は、所属の研修の進み具合を確かめ、まだ受講して"
        "いない人に声をかけることです。三つ目は、改善の効果が大きい業務を選んでDX実行計画にまとめ、"
        "実行を見守ることです。",
        "DX PROは一人で抱え込む役割ではありません。各所属のDX PROとDX推進課は「DX PROT」という"
        "チームをつくり、実行計画の進み具合をDX推進課が一緒に追いかけます。課長とも、所属の受講"
        "状況や計画の進み具合を定期的に共有してください。困ったときは、早めにチームに相談しましょう。",
        "調査では、DXに前向きな自治体職員はおよそ4人に1人にとどまり、多くの人が「やらされ感」を"
        "抱えています。主な原因は、目的と意味が伝わっていないことです。DX PROが職場で最初に取り組む"
        "のは、「この仕事は何のため？」と気軽に問える雰囲気をつくり、小さな成功を同僚と一緒に喜ぶ"
        "ことです。その積み重ねが、改善を職場の習慣にしていきます。",
    ), ["dx-pro", "small-wins"]),
    ("ワークシートの確認のしかた", "review", _text(
        "職員は、自分の仕事を「誰が・何を・どうする」の一文（SVO文）で書き、その目的（WHY）と、"
        "やり方の見直し（HOW）を考えます。提出されたワークシートを読み、文ごとにコメントを付けて、"
        "差し戻すか承認するのがDX PROの仕事です。あなたは採点者ではなく、書き手に寄り添う"
        "伴走者です。",
        "まずWHATを見ます。主語は個人名ではなく「窓口担当」のような役割になっているか。動詞は"
        "「照合する」「入力する」のように、見て分かる一つの動作か。「対応する」「処理する」のような"
        "あいまいな動詞や、「証明書関係の業務」のようなぼんやりした目的語は、仕事の中身を隠して"
        "しまいます。一つの文に動作が二つ以上あれば、文を分けてもらいましょう。",
        "次にWHYです。よい目的は、住民や組織にとっての成果を示します。「決まりだから」「前から"
        "そうしているから」は、まだ目的ではありません。その決まりが何を守るためにあるのかを、書き手と"
        "一緒に考えてください。",
        "HOWは、どれかのWHYにつながっているかを確かめます。手段（紙・システム・電話）、頻度、"
        "年間件数、1件あたりの時間が書かれていれば、年間の作業時間が計算でき、改善の効果を比べやすく"
        "なります。改善案が、なくす・まとめる・順番を変える・簡単にする・デジタル化する、のどれに"
        "当たるかも添えてもらうと、話し合いが具体的になります。",
        "コメントは短く、具体的に書きます。「ここがだめ」と書くより、「この『処理する』では、"
        "具体的に何をしていますか」と問いかけるほうが、書き手が自分で気づけます。直してほしい点が"
        "あれば差し戻し、そろったら承認します。再提出されたワークシートは、前の版からの変更点を"
        "確かめてから判断しましょう。",
    ), ["svo", "why-before-how"]),
    ("DX実行計画の進め方", "plan", _text(
        "承認されたワークシートの改善案から、効果が大きく、職場で取り組めそうなものを選んで、"
        "DX実行計画にまとめます。計画には、目的、担当者、KPI（何を測るか）、今の値と目標の値、"
        "期限、そして進めるための手順を書きます。",
        "進め方の基本は、目的をはっきりさせ、問題になっている出来事を洗い出し、目標を決める、"
        "という順番です。いきなり道具やシステムを選ぶのではなく、「何のために、何を変えるのか」を"
        "先に決めます。",
        "KPIには、SVO文から計算した年間作業時間がそのまま使えます。たとえば、公民館会議室の予約"
        "申込を電話で受けて登録する作業に年間300時間かかっているなら、オンライン予約を始めたあとに"
        "何時間になったかを測ります。数値は毎年同じ方法で測り、その推移で進み具合を確かめます。",
        "計画は小さく始めます。最初から全庁の業務を一度に変えようとすると、途中で止まりがちです。"
        "一つの係の一つの手続きで成果を出し、そのやり方を隣の係へ広げていきましょう。",
        "手順は、終わったものから完了の印を付けていきます。DX推進課はすべての所属の計画の進み具合を"
        "見ていて、止まっている計画があれば声をかけます。DX PROを一人にしないための仕組みなので、"
        "困りごとは早めに共有してください。",
    ), ["running-a-project"]),
]  # fmt: skip


#: What the quiz is about. The number of questions and the pass mark are not typed here: the
#: quiz page states them from the quiz's own settings, so they cannot drift.
QUIZ_INTRO = (
    "<p>ガイドブック概要版とこの研修のレッスンから出題します。途中で閉じても、"
    "続きから再開できます。</p>"
)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _edition_chapters(edition: str) -> list[ChapterPage]:
    page = GuidebookPage.objects.filter(edition=edition).live().order_by("path").first()
    return list(page.chapters()) if page else []


def _lessons(course: CoursePage, lessons, chapters: list[ChapterPage]) -> int:
    """Create the missing lessons. A lesson given as (title, slug, body, chapter slugs) links
    those chapters; otherwise ``chapters`` are spread over the lessons in order."""
    created = 0
    by_slug = {chapter.slug: chapter for chapter in chapters}
    for position, (title, slug, body, *linked) in enumerate(lessons):
        if _child(course, LessonPage, slug):
            continue
        lesson = LessonPage(title=title, slug=slug, body=body)
        if linked:
            share = [by_slug[name] for name in linked[0] if name in by_slug]
        else:
            share = chapters[position :: len(lessons)]
        lesson.chapter_links = [LessonChapter(chapter=chapter) for chapter in share]
        _publish(course, lesson)
        created += 1
    return created


def _questions() -> tuple[list[Question], int]:
    category = QuestionCategory.objects.filter(name=BASICS_CATEGORY).first()
    if category is None or not category.questions.exists():
        parsed = parse_gift(GIFT_FILE.read_text(encoding="utf-8"))
        created = questions_import(parsed=parsed, category=BASICS_CATEGORY)
        return created, len(created)
    return list(category.questions.order_by("pk")), 0


def _quiz(course: CoursePage, slug: str, title: str, questions: list[Question], **rules):
    quiz = _child(course, QuizPage, slug)
    if quiz:
        return quiz, False
    quiz = QuizPage(title=title, slug=slug, **rules)
    quiz.slots = [QuizSlot(question=question) for question in questions]
    return _publish(course, quiz), True


@transaction.atomic
def courses_seed() -> dict:
    """Create the demo courses and their question bank; returns what it made."""
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The home page is missing; run migrate first.")
    index = CourseIndexPage.objects.first() or _publish(
        home, CourseIndexPage(title="研修", slug="courses")
    )
    summary = {"lessons": 0, "questions": 0, "quizzes": 0, "courses": 0}

    basics = _child(index, CoursePage, "dx-basics")
    if basics is None:
        basics = _publish(index, CoursePage(
            title="DX基礎研修", slug="dx-basics",
            description="<p>全職員の必須研修です。ガイドブック概要版を読み、確認テストに合格すると修了です。</p>",
            require_lessons=True, require_quiz=True, require_worksheet=False, certificate=True,
        ))  # fmt: skip
        summary["courses"] += 1
    summary["lessons"] += _lessons(basics, BASICS_LESSONS, _edition_chapters("summary"))
    questions, summary["questions"] = _questions()
    # Essays are marked by hand: the DX PRO quiz has one, everyone's quiz none.
    auto_graded = [q for q in questions if q.qtype != QuestionType.ESSAY]
    _quiz_page, made = _quiz(
        basics, "quiz", "確認テスト", auto_graded,
        pass_mark=80, max_attempts=3, shuffle_choices=True,
        review_policy=ReviewPolicy.RESPONSES, review_full_after_pass=True,
        intro=QUIZ_INTRO,
    )  # fmt: skip
    summary["quizzes"] += made

    pro = _child(index, CoursePage, "dx-pro")
    if pro is None:
        pro = _publish(index, CoursePage(
            title="DX PRO育成研修", slug="dx-pro", trains_dx_pros=True,
            description=(
                "<p>各所属のDX PRO向けの研修です。役割、ワークシートの確認、"
                "実行計画の進め方を学びます。</p>"
            ),
            require_lessons=True, require_quiz=True, require_worksheet=False, certificate=True,
        ))  # fmt: skip
        summary["courses"] += 1
    elif "require_worksheet" in pro.completion_rule_errors():
        # Demo databases seeded before the rule was checked named the worksheet approval
        # with no worksheet task in this course (B2): drop the condition the content cannot meet.
        pro.require_worksheet = False
        pro.save_revision().publish()
        pro = CoursePage.objects.get(pk=pro.pk)
    summary["lessons"] += _lessons(pro, PRO_LESSONS, _edition_chapters("full"))
    pro_questions = [q for q in questions if q.name.startswith(("svo-", "why-", "dx-pro"))]
    _pro_quiz, made = _quiz(
        pro, "quiz", "DX PRO確認テスト", pro_questions,
        pass_mark=100, review_policy=ReviewPolicy.FULL,
    )  # fmt: skip
    summary["quizzes"] += made
    summary["created"] = any(summary[key] for key in ("lessons", "questions", "quizzes", "courses"))
    for course in (basics, pro):
        course_minutes_sync(course)  # stated minutes follow the content (see durations)
    summary["urls"] = [basics.url, pro.url]
    return summary
