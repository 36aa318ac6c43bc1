"""Glossary terms of the demo guidebook (written for this project)."""

# slug: (term, reading, definition, term_en, definition_en)
TERMS = {
    "dx": (
        "DX",
        "でぃーえっくす",
        "デジタル・トランスフォーメーション。デジタル技術を手段として、仕事の進め方や"
        "住民サービスのあり方そのものを見直し、よりよく変えていく取り組み。",
        "DX",
        "Digital transformation: using digital tools to rethink how the work is done and how "
        "residents are served, not just to replace paper.",
    ),
    "digitization": (
        "デジタル化",
        "でじたるか",
        "紙や手作業をデジタルに置き換えること。DXの入り口にはなるが、それだけでは仕事の"
        "流れや目的は変わらない。",
        "Digitisation",
        "Replacing paper or manual steps with digital ones: a first step, but on its own it "
        "does not change the flow or the purpose of the work.",
    ),
    "bpr": (
        "BPR",
        "びーぴーあーる",
        "業務プロセス・リエンジニアリング。業務の目的に立ち返って、手順や分担を根本から"
        "組み立て直すこと。",
        "BPR",
        "Business process re-engineering: going back to the purpose of a task and rebuilding "
        "its steps and division of labour from there.",
    ),
    "svo": (
        "SVO",
        "えすぶいおー",
        "主語・述語・目的語（誰が・何を・どうする）の形で仕事を一文ずつ書き出す方法。"
        "曖昧な部分が見え、他の人にも説明できるようになる。",
        "SVO",
        "Subject-verb-object: writing each piece of work as one sentence saying who does what "
        "to what, which makes vague parts visible.",
    ),
    "dx-pro": (
        "DX PRO",
        "でぃーえっくすぷろ",
        "各所属から選ばれ、職場のDXを先頭に立って進める職員。専用の研修を受け、"
        "DX推進課とチームを組んで活動する。",
        "DX PRO",
        "A member of staff chosen in each unit to lead DX there; trained for the role and "
        "working as a team with the DX office.",
    ),
    "companion": (
        "伴走者",
        "ばんそうしゃ",
        "改善に取り組む職員のそばで、助言やレビューを続ける人。答えを代わりに出すのではなく、"
        "考えを言葉にする手助けをする。",
        "Companion reviewer",
        "Someone who stays alongside staff working on an improvement, reviewing and advising "
        "rather than answering for them.",
    ),
    "national-plan": (
        "自治体DX推進計画",
        "じちたいでぃーえっくすすいしんけいかく",
        "国が2020年12月に定めた、自治体が重点的に取り組むDXの内容と手順を示す計画。"
        "その後も改定が続いている。",
        "Municipal DX promotion plan",
        "The national plan of December 2020 (revised since) setting out what municipalities "
        "should do for DX and in what order.",
    ),
    "critical-path": (
        "クリティカルパス",
        "くりてぃかるぱす",
        "仕事の流れの中で、遅れると全体が遅れる一続きの作業。改善の効果が最も大きく出る場所。",
        "Critical path",
        "The chain of steps in a process where any delay delays the whole: where improvement "
        "pays off most.",
    ),
    "kpi": (
        "KPI",
        "けーぴーあい",
        "重要業績評価指標。目標にどれだけ近づいたかを測るための数値。",
        "KPI",
        "Key performance indicator: a figure that shows how close a target is.",
    ),
    "in-house": (
        "内製化",
        "ないせいか",
        "外部に任せきりにせず、職員自身が業務の見直しや簡単な仕組みづくりを担えるようにすること。",
        "In-house DX",
        "Building the ability of staff themselves to rethink their work and build simple tools, "
        "instead of leaving everything to vendors.",
    ),
}
