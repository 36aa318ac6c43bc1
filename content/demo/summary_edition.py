# ruff: noqa: E501 - prose: Japanese sentences are not split mid-phrase
"""The summary edition (概要版): the text of the mandatory all-staff course."""

EDITION = {
    "slug": "summary",
    "title": "DXガイドブック 概要版",
    "title_en": "DX guidebook (summary edition)",
    "summary": "全職員向け必須研修の教材です。30分ほどでDXの要点を押さえられます。",
    "summary_en": "The text of the mandatory course for all staff: the essentials of DX in "
    "about half an hour.",
    "audience": "全職員(会計年度任用職員を含む)",
    "cover_text": "<p>本編の要点を5つの章にまとめました。読み終えたら、研修の小テストと"
    "SVOワークシートに進んでください。</p>",
}

CHAPTERS = [
    {
        "slug": "dx-is-reform",
        "title": "DXは業務改革",
        "title_en": "DX is business reform",
        "summary": "デジタル化は手段、DXは仕事と住民サービスをよりよく変えることです。",
        "summary_en": "Digitisation is a means; DX is changing work and services for the better.",
        "blocks": [
            ("h", "道具を替えるだけではない"),
            (
                "p",
                "<p>DXは、新しい機器やシステムを導入することそのものではありません。デジタル技術を"
                "使いながら、仕事の目的に立ち返って進め方を見直し、住民サービスをよりよくする業務改善の"
                "取り組みです。紙をPDFにするだけのデジタル化は、その入り口にすぎません。</p>",
            ),
            (
                "table",
                "デジタル化とDX",
                ["観点", "デジタル化", "DX"],
                [
                    ["目的", "作業の置き換え", "仕事と価値の変革"],
                    ["担い手", "情報部門", "すべての職員"],
                ],
            ),
            (
                "point",
                "ポイント",
                "<p>DXの主役は、自分の仕事を一番よく知っている職員自身です。</p>",
            ),
            ("terms", ["dx", "digitization"]),
            (
                "check",
                [
                    (
                        "DXとデジタル化の違いを一言でいうと?",
                        "<p>デジタル化は手段、DXは仕事のあり方そのものを変えることです。</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "why-us-now",
        "title": "なぜ今、私たちが取り組むのか",
        "title_en": "Why we, and why now",
        "summary": "人口減少、今のやり方の限界、暮らしのデジタル化が背景にあります。",
        "summary_en": "A shrinking population, the limits of today's methods, digital daily life.",
        "blocks": [
            ("h", "三つの背景"),
            (
                "p",
                "<ol><li>人口と職員が減る一方、相談や手続きは複雑になっている。</li>"
                "<li>紙の回覧や二重入力など、今のやり方では手が回らなくなっている。</li>"
                "<li>住民の暮らしはスマートフォンが前提になり、行政にも同じ手軽さが求められている。</li>"
                "</ol>",
            ),
            (
                "p",
                "<p>DXは職員を減らすためではなく、限られた人数でも住民に向き合う時間を守り、"
                "無理なく働き続けるための取り組みです。</p>",
            ),
            (
                "caution",
                "「やらされ感」をなくすために",
                "<p>目的が分からないまま取り組むと、"
                "負担感だけが残ります。まず「なぜ」を自分の言葉で説明できるようにしましょう。</p>",
            ),
            (
                "check",
                [
                    (
                        "DXが必要な三つの背景は何ですか。",
                        "<p>人口減少、今のやり方の限界、暮らしのデジタル化です。</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "svo-and-why",
        "title": "仕事をSVOで書き、WHYを問う",
        "title_en": "Write your work as SVO, then ask WHY",
        "summary": "誰が・何を・どうするを書き、目的を確かめてからやり方を考えます。",
        "summary_en": "Write who does what to what, check the purpose, then think about the method.",
        "blocks": [
            ("h", "WHAT: SVOで書く"),
            (
                "p",
                "<p>自分の仕事を「主語(役割)が、目的語(具体的な対象)を、述語(動作)する」という"
                "一文で書きます。「対応する」「処理する」のような曖昧な言葉は避け、個人名ではなく"
                "役割で書きます。</p>",
            ),
            (
                "example",
                "よい例",
                "<p>窓口担当が、証明書交付申請書の本人確認欄を、提示された"
                "本人確認書類と照合する。</p>",
            ),
            ("h", "WHY: 目的を問う"),
            (
                "p",
                "<p>その仕事は住民や組織にとって何のためにあるのかを書きます。「規則だから」は"
                "目的ではありません。</p>",
            ),
            (
                "figure",
                "what-why-how",
                "WHAT、WHY、HOWの三つの箱が左から右へ矢印でつながった図",
                "図 考える順番",
            ),
            ("h", "HOW: やり方を考える"),
            (
                "p",
                "<p>目的が確かめられたら、なくす、まとめる、順番を変える、簡単にする、"
                "デジタルにする、の五つの型で改善案を考えます。</p>",
            ),
            ("terms", ["svo", "bpr"]),
            (
                "check",
                [
                    (
                        "「証明書関係の対応をする」はよいSVOですか。",
                        "<p>よくありません。主語がなく、対象も動作も曖昧です。</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "not-alone",
        "title": "一人にしない仕組み ― DX PROと管理職",
        "title_en": "Nobody left alone: DX PROs and managers",
        "summary": "各所属のDX PROと管理職が、改善に取り組む職員を支えます。",
        "summary_en": "The DX PRO of each unit and the managers support staff who improve work.",
        "blocks": [
            ("h", "DX PRO"),
            (
                "p",
                "<p>各所属から選ばれたDX PROが、同僚のSVOワークシートを読み、一文ずつコメント"
                "して返します。DX PROはDX推進課とチームを組み、職場の業務改善を先導します。</p>",
            ),
            ("h", "管理職"),
            (
                "p",
                "<p>管理職は、「なぜ?」と聞いてよい職場をつくり、改善に取り組む時間を認めます。"
                "所属の研修の受講状況も確認します。</p>",
            ),
            ("terms", ["dx-pro", "companion"]),
            (
                "check",
                [
                    (
                        "SVOワークシートを書いたら、誰にレビューを頼みますか。",
                        "<p>所属のDX PROです。</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "start-small",
        "title": "小さく始める・安全に進める",
        "title_en": "Start small, stay safe",
        "summary": "小さな成功を積み重ね、情報セキュリティの基本を守ります。",
        "summary_en": "Build on small wins and keep the security basics.",
        "blocks": [
            ("h", "小さな成功から"),
            (
                "p",
                "<p>様式の項目を一つ減らす、よくある質問をまとめるなど、小さな改善から始めましょう。"
                "改善の前後で時間や件数を記録しておくと、成果を説明しやすくなります。</p>",
            ),
            ("h", "セキュリティの基本"),
            (
                "p",
                "<ul><li>パスワードを使い回さない。</li><li>離席時は画面をロックする。</li>"
                "<li>誤送信や紛失に気づいたら、すぐ報告する。</li></ul>",
            ),
            ("point", "明日からの一歩", "<p>自分の仕事を一つ選び、SVOで三文書いてみましょう。</p>"),
            (
                "check",
                [
                    (
                        "情報の紛失に気づいたとき、最初にすることは何ですか。",
                        "<p>すぐに上司と情報部門に報告することです。</p>",
                    ),
                ],
            ),
        ],
    },
]
