"""The demo city's organisation and the name lists its people are composed from.

Written for this project: the units are typical of a Japanese city of about 800 staff but
belong to no real one, and the names are common family and given names combined at random.
"""

from __future__ import annotations

DEMO_PASSWORD = "demo-pass-2026"
EMAIL_DOMAIN = "city.example.jp"

# --- the organisation --------------------------------------------------------------------
# (部, [(課, technical?, [(係, relative size), ...]), ...]). Technical sections hire 技師.
DEPARTMENTS: list[tuple[str, list[tuple[str, bool, list[tuple[str, int]]]]]] = [
    (
        "総務部",
        [
            ("総務課", False, [("総務係", 2), ("文書法制係", 2)]),
            ("人事課", False, [("人事係", 2), ("給与係", 2), ("研修厚生係", 1)]),
            ("DX推進課", False, [("DX推進係", 2), ("情報システム係", 2)]),
            ("危機管理課", False, [("防災係", 2), ("危機管理係", 1)]),
            ("管財課", False, [("管財係", 2), ("庁舎管理係", 1)]),
        ],
    ),
    (
        "企画財政部",
        [
            ("企画政策課", False, [("企画係", 2), ("広報広聴係", 2)]),
            ("財政課", False, [("財政係", 2)]),
            ("税務課", False, [("市民税係", 4), ("資産税係", 4), ("収納係", 3), ("納税相談係", 2)]),
            ("契約検査課", False, [("契約係", 2), ("検査係", 1)]),
        ],
    ),
    (
        "市民生活部",
        [
            ("市民課", False, [("窓口係", 5), ("戸籍係", 3), ("住民記録係", 3)]),
            ("保険年金課", False, [("国保資格係", 3), ("国保給付係", 2), ("年金係", 2)]),
            ("市民協働課", False, [("協働推進係", 2), ("地域活動係", 2)]),
            ("人権推進課", False, [("人権啓発係", 1), ("男女共同参画係", 1)]),
        ],
    ),
    (
        "健康福祉部",
        [
            ("福祉総務課", False, [("福祉総務係", 2), ("生活支援係", 4)]),
            ("障がい福祉課", False, [("障がい支援係", 3), ("障がい給付係", 2)]),
            ("長寿介護課", False, [("介護保険係", 3), ("地域包括ケア係", 3), ("高齢福祉係", 2)]),
            ("健康増進課", False, [("保健係", 4), ("予防係", 3)]),
        ],
    ),
    (
        "こども未来部",
        [
            ("こども政策課", False, [("こども政策係", 2), ("子育て支援係", 3)]),
            ("保育課", False, [("保育係", 6), ("幼児教育係", 3)]),
            ("家庭支援課", False, [("家庭相談係", 3), ("母子保健係", 3)]),
            ("こども給付課", False, [("手当係", 2), ("医療助成係", 2)]),
        ],
    ),
    (
        "環境部",
        [
            ("環境政策課", False, [("環境企画係", 2), ("環境保全係", 2)]),
            ("ごみ減量推進課", False, [("ごみ減量係", 2), ("収集指導係", 3)]),
            ("環境施設課", True, [("施設管理係", 3), ("施設整備係", 2)]),
            ("環境衛生課", False, [("衛生係", 2)]),
        ],
    ),
    (
        "経済観光部",
        [
            ("商工振興課", False, [("商工係", 2), ("企業立地係", 1)]),
            ("観光交流課", False, [("観光係", 2), ("交流係", 1)]),
            ("農林水産課", True, [("農政係", 2), ("林務水産係", 2), ("農地整備係", 2)]),
            ("雇用労働課", False, [("雇用係", 1)]),
        ],
    ),
    (
        "都市整備部",
        [
            ("都市計画課", True, [("都市計画係", 2), ("景観係", 1)]),
            ("建築指導課", True, [("建築審査係", 2), ("開発指導係", 2)]),
            ("道路河川課", True, [("道路維持係", 4), ("道路建設係", 3), ("河川係", 2)]),
            ("住宅政策課", False, [("市営住宅係", 2), ("住宅支援係", 1)]),
            ("公園緑地課", True, [("公園係", 2), ("緑化推進係", 1)]),
        ],
    ),
    (
        "上下水道部",
        [
            ("上下水道総務課", False, [("経営係", 2), ("料金係", 3)]),
            ("水道工務課", True, [("給水係", 3), ("配水管理係", 3)]),
            ("浄水課", True, [("浄水係", 3)]),
            ("下水道課", True, [("下水道整備係", 3), ("下水道施設係", 2)]),
        ],
    ),
    (
        "教育部",
        [
            ("教育総務課", False, [("総務係", 2), ("学校施設係", 2)]),
            ("学校教育課", False, [("学務係", 2), ("指導係", 2), ("学校給食係", 3)]),
            ("生涯学習課", False, [("生涯学習係", 2), ("文化財係", 1), ("図書館係", 3)]),
            ("スポーツ振興課", False, [("スポーツ係", 2)]),
        ],
    ),
]

#: Departments large enough to have a deputy director (次長).
DEPARTMENTS_WITH_DEPUTY = {"総務部", "健康福祉部", "都市整備部"}
#: Sections with this many units or more have an assistant section chief (課長補佐).
UNITS_FOR_ASSISTANT_CHIEF = 3
#: Sections deliberately left without a DX PRO, so the coverage report has gaps to show.
SECTIONS_WITHOUT_DX_PRO = 5
#: Sections with this many people or more get a second DX PRO.
STAFF_FOR_SECOND_DX_PRO = 25

FIXED_TERM_SHARE = 0.17
REAPPOINTED_SHARE = 0.05
SENIOR_STAFF_SHARE = 0.3

# --- names (kanji, katakana, romaji) ------------------------------------------------------
FAMILY_NAMES = [
    ("佐藤", "サトウ", "sato"),
    ("鈴木", "スズキ", "suzuki"),
    ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"),
    ("伊藤", "イトウ", "ito"),
    ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"),
    ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"),
    ("加藤", "カトウ", "kato"),
    ("吉田", "ヨシダ", "yoshida"),
    ("山田", "ヤマダ", "yamada"),
    ("佐々木", "ササキ", "sasaki"),
    ("山口", "ヤマグチ", "yamaguchi"),
    ("松本", "マツモト", "matsumoto"),
    ("井上", "イノウエ", "inoue"),
    ("木村", "キムラ", "kimura"),
    ("林", "ハヤシ", "hayashi"),
    ("斎藤", "サイトウ", "saito"),
    ("清水", "シミズ", "shimizu"),
    ("山崎", "ヤマザキ", "yamazaki"),
    ("森", "モリ", "mori"),
    ("池田", "イケダ", "ikeda"),
    ("橋本", "ハシモト", "hashimoto"),
    ("阿部", "アベ", "abe"),
    ("石川", "イシカワ", "ishikawa"),
    ("山下", "ヤマシタ", "yamashita"),
    ("中島", "ナカジマ", "nakajima"),
    ("石井", "イシイ", "ishii"),
    ("小川", "オガワ", "ogawa"),
    ("前田", "マエダ", "maeda"),
    ("岡田", "オカダ", "okada"),
    ("長谷川", "ハセガワ", "hasegawa"),
    ("藤田", "フジタ", "fujita"),
    ("後藤", "ゴトウ", "goto"),
    ("近藤", "コンドウ", "kondo"),
    ("村上", "ムラカミ", "murakami"),
    ("遠藤", "エンドウ", "endo"),
    ("青木", "アオキ", "aoki"),
    ("坂本", "サカモト", "sakamoto"),
    ("福田", "フクダ", "fukuda"),
    ("太田", "オオタ", "ota"),
    ("西村", "ニシムラ", "nishimura"),
    ("藤井", "フジイ", "fujii"),
    ("岡本", "オカモト", "okamoto"),
    ("松田", "マツダ", "matsuda"),
    ("中川", "ナカガワ", "nakagawa"),
    ("原田", "ハラダ", "harada"),
    ("小野", "オノ", "ono"),
    ("竹内", "タケウチ", "takeuchi"),
]
GIVEN_NAMES = [
    ("翔太", "ショウタ", "shota"),
    ("大輔", "ダイスケ", "daisuke"),
    ("健太", "ケンタ", "kenta"),
    ("拓也", "タクヤ", "takuya"),
    ("直樹", "ナオキ", "naoki"),
    ("和也", "カズヤ", "kazuya"),
    ("亮", "リョウ", "ryo"),
    ("誠", "マコト", "makoto"),
    ("浩", "ヒロシ", "hiroshi"),
    ("隆", "タカシ", "takashi"),
    ("哲也", "テツヤ", "tetsuya"),
    ("達也", "タツヤ", "tatsuya"),
    ("大樹", "ダイキ", "daiki"),
    ("悠斗", "ユウト", "yuto"),
    ("陽介", "ヨウスケ", "yosuke"),
    ("雄一", "ユウイチ", "yuichi"),
    ("修", "オサム", "osamu"),
    ("聡", "サトシ", "satoshi"),
    ("健一", "ケンイチ", "kenichi"),
    ("正人", "マサト", "masato"),
    ("蓮", "レン", "ren"),
    ("颯太", "ソウタ", "sota"),
    ("光", "ヒカル", "hikaru"),
    ("慎吾", "シンゴ", "shingo"),
    ("明", "アキラ", "akira"),
    ("陽子", "ヨウコ", "yoko"),
    ("恵子", "ケイコ", "keiko"),
    ("美穂", "ミホ", "miho"),
    ("由美", "ユミ", "yumi"),
    ("真由美", "マユミ", "mayumi"),
    ("智子", "トモコ", "tomoko"),
    ("裕子", "ユウコ", "yuko"),
    ("久美子", "クミコ", "kumiko"),
    ("彩", "アヤ", "aya"),
    ("愛", "アイ", "ai"),
    ("舞", "マイ", "mai"),
    ("美咲", "ミサキ", "misaki"),
    ("奈々", "ナナ", "nana"),
    ("香織", "カオリ", "kaori"),
    ("明美", "アケミ", "akemi"),
    ("直美", "ナオミ", "naomi"),
    ("沙織", "サオリ", "saori"),
    ("千尋", "チヒロ", "chihiro"),
    ("結衣", "ユイ", "yui"),
    ("葵", "アオイ", "aoi"),
    ("遥", "ハルカ", "haruka"),
    ("典子", "ノリコ", "noriko"),
    ("里美", "サトミ", "satomi"),
    ("麻衣", "マイ", "mai"),
    ("優花", "ユウカ", "yuka"),
]
