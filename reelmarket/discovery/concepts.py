"""What kind of content a query asks for: genre and format words in the market's languages.

A buyer types "phim hoạt hình gia đình", "polar coréen" or "韓國財閥愛情喜劇": besides the
words to match, the query names a *kind* of content (animation, family; a crime film; a
romantic comedy). The catalogue has that kind as structured data (``Title.genres``,
``Title.kind``), in no language at all, so naming it in Vietnamese finds a Japanese title's
genre as well as an English one's.

:func:`query_concepts` finds these words (normalised: case, diacritics and Traditional /
Simplified Chinese folded; whole words for Latin, kana and Hangul) and returns the concepts;
ranking gives titles of those genres or kinds a soft boost (it never filters: a buyer who
wants a filter ticks the facet). The search page shows what it understood.

The lexicon is written by hand from the catalogue's genre and kind vocabularies
(``catalogue.enums.Genre`` / ``TitleKind``), with the words trade press and buyers use in
each language ("drakor", "sinetron", "polar", "wuxia" ...). Words too general to tell a
kind apart ("film", "phim", "movie", "電影") are left out on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

ANIMATED = ("animation_feature", "animation_series")
SERIES = ("series", "animation_series", "format_scripted")


@dataclass(frozen=True)
class Concept:
    """A kind of content: titles with any of ``genres`` or of any of ``kinds`` fit it."""

    code: str
    genres: frozenset[str]
    kinds: frozenset[str]


# code -> (genres, kinds, words in any language). Words are matched after normalisation.
_LEXICON: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "animation": (
        ("animation",),
        ANIMATED,
        (
            "animation", "animated", "cartoon", "anime",
            "动画", "動畫", "动漫", "卡通",
            "アニメ", "アニメーション",
            "애니메이션", "애니", "만화영화",
            "อนิเมะ", "แอนิเมชัน", "แอนิเมชั่น", "การ์ตูน",
            "hoạt hình",
            "animasi", "kartun",
            "animé", "animée", "animés", "dessin animé",
        ),
    ),
    "comedy": (
        ("comedy",),
        (),
        (
            "comedy", "comedies", "sitcom", "rom-com", "romcom",
            "喜剧", "喜劇", "搞笑",
            "コメディ", "コメディー",
            "코미디", "코믹",
            "ตลก", "คอมเมดี้",
            "phim hài", "hài hước", "hài kịch",
            "komedi",
            "comédie", "comédies", "comique",
        ),
    ),
    "romance": (
        ("romance",),
        (),
        (
            "romance", "romantic", "love story", "rom-com", "romcom",
            "爱情", "愛情", "恋爱", "戀愛", "言情",
            "恋愛", "ラブストーリー", "ロマンス", "ラブコメ",
            "로맨스", "로맨틱", "멜로", "연애",
            "โรแมนติก", "ความรัก",
            "tình cảm", "lãng mạn", "tình yêu",
            "romantis", "percintaan", "pacaran",
            "romantique", "histoire d'amour",
            "wedding", "婚礼", "婚禮", "結婚式", "결혼식", "งานแต่ง", "đám cưới",
            "pernikahan", "mariage",
        ),
    ),
    "horror": (
        ("horror",),
        (),
        (
            "horror", "ghost", "ghosts", "haunted", "zombie", "zombies", "exorcism",
            "恐怖", "鬼片", "丧尸", "僵尸", "惊悚",
            "ホラー", "幽霊", "ゾンビ", "怪談",
            "공포", "호러", "귀신", "좀비", "퇴마",
            "สยองขวัญ", "หนังผี", "ผี", "ซอมบี้",
            "kinh dị", "trừ tà", "xác sống",
            "horor", "hantu", "zombi",
            "horreur", "épouvante", "fantôme", "fantômes",
        ),
    ),
    "crime": (
        ("crime", "thriller"),
        (),
        (
            "crime", "detective", "police", "cop", "cops", "gangster", "noir", "heist",
            "undercover", "serial killer",
            "犯罪", "警匪", "刑侦", "黑帮", "侦探", "警察", "缉毒", "卧底",
            "刑事", "ノワール", "探偵", "潜入捜査",
            "범죄", "형사", "경찰", "누아르", "탐정", "살인",
            "อาชญากรรม", "ตำรวจ", "นักสืบ", "สืบสวน",
            "hình sự", "cảnh sát", "tội phạm", "thám tử",
            "kriminal", "polisi", "detektif",
            "polar", "polars", "policier", "policière", "criminel", "détective", "flic",
        ),
    ),
    "thriller": (
        ("thriller", "mystery"),
        (),
        (
            "thriller", "suspense", "psychological thriller",
            "惊悚", "驚悚", "悬疑", "懸疑",
            "スリラー", "サスペンス",
            "스릴러", "서스펜스",
            "ระทึกขวัญ", "ทริลเลอร์",
            "giật gân",
            "thriller", "menegangkan",
            "suspense",
        ),
    ),
    "mystery": (
        ("mystery",),
        (),
        (
            "mystery", "whodunit", "unsolved",
            "推理", "悬案", "未解",
            "ミステリー",
            "미스터리", "추리", "미제",
            "ลึกลับ", "ปริศนา",
            "bí ẩn",
            "misteri",
            "mystère", "énigme",
        ),
    ),
    "documentary": (
        ("documentary",),
        ("documentary",),
        (
            "documentary", "documentaries", "docuseries", "docu-series", "doc series",
            "documentary series", "纪录片系列", "紀錄片系列", "纪录剧集",
            "ドキュメンタリーシリーズ", "다큐 시리즈", "다큐멘터리 시리즈", "สารคดีซีรีส์",
            "phim tài liệu dài tập", "serial dokumenter", "série documentaire",
            "纪录片", "紀錄片", "纪实",
            "ドキュメンタリー",
            "다큐멘터리", "다큐",
            "สารคดี",
            "phim tài liệu", "tài liệu",
            "dokumenter", "dokumentasi",
            "documentaire", "documentaires", "docu-série",
        ),
    ),
    "series": (
        (),
        SERIES,
        (
            "series", "tv series", "drama series", "miniseries", "k-drama", "kdrama",
            "剧集", "电视剧", "連續劇", "连续剧", "网剧", "短剧",
            "ドラマ", "シリーズ", "連続ドラマ",
            "드라마", "시리즈",
            "ซีรีส์", "ละคร",
            "phim bộ", "phim truyền hình",
            "serial", "sinetron", "drakor", "drama korea", "dracin", "lakorn",
            "韩剧", "韓劇", "日剧", "日劇", "台剧", "台劇", "港剧", "港劇", "泰剧", "泰劇",
            "美剧", "美劇", "韓ドラ", "한드", "k-drama", "j-drama", "c-drama",
            "série", "séries", "feuilleton", "mini-série",
        ),
    ),
    "drama": (
        ("drama",),
        (),
        (
            "tearjerker", "tear-jerker", "weepie", "melodrama", "drama film",
            "剧情片", "劇情片", "催泪", "催淚", "虐心",
            "泣ける", "感動", "メロドラマ",
            "신파", "최루", "감동", "휴먼 드라마",
            "ดราม่า", "เรียกน้ำตา", "ซึ้ง",
            "chính kịch", "cảm động", "lấy nước mắt",
            "mengharukan", "menguras air mata", "sedih",
            "mélodrame", "drame", "tire-larmes", "émouvant",
        ),
    ),
    "family": (
        ("family",),
        (),
        (
            "family", "families", "kids", "children", "preschool",
            "家庭", "合家欢", "亲子", "儿童", "少儿",
            "家族", "ファミリー", "子供", "子ども", "キッズ",
            "가족", "어린이", "아동", "키즈",
            "ครอบครัว", "เด็กเล็ก", "สำหรับเด็ก",
            "gia đình", "thiếu nhi", "trẻ em",
            "keluarga", "anak-anak",
            "familial", "familiale", "famille", "enfants",
        ),
    ),
    "action": (
        ("action",),
        (),
        (
            "action", "action-packed",
            "动作", "動作",
            "アクション",
            "액션",
            "แอ็คชั่น", "แอคชั่น", "บู๊",
            "hành động",
            "aksi", "laga",
            "action",
        ),
    ),
    "martial_arts": (
        ("martial_arts",),
        (),
        (
            "martial arts", "kung fu", "kung-fu", "wuxia", "boxing", "muay thai",
            "武侠", "武俠", "功夫", "武打", "拳击",
            "格闘技", "カンフー", "武術", "ボクシング",
            "무협", "무술", "격투", "무예",
            "กังฟู", "มวย", "ศิลปะการต่อสู้",
            "kiếm hiệp", "võ thuật", "quyền anh",
            "silat", "bela diri", "tinju",
            "arts martiaux", "boxe", "kung-fu",
        ),
    ),
    "war": (
        ("war",),
        (),
        (
            "war", "wartime", "battle",
            "战争", "戰爭", "抗战", "女兵",
            "戦争", "戦記",
            "전쟁", "해전", "전투",
            "สงคราม",
            "chiến tranh",
            "perang",
            "guerre",
        ),
    ),
    "historical": (
        ("historical",),
        (),
        (
            "historical", "period drama", "costume drama", "period piece", "dynasty",
            "古装", "古裝", "历史", "歷史", "宫廷", "宮廷", "时代剧",
            "時代劇", "歴史", "時代もの",
            "사극", "역사", "시대극", "궁중",
            "ย้อนยุค", "ประวัติศาสตร์", "พีเรียด",
            "cổ trang", "lịch sử",
            "sejarah", "kolosal", "zaman",
            "historique", "d'époque", "film en costumes",
        ),
    ),
    "fantasy": (
        ("fantasy",),
        (),
        (
            "fantasy", "magic", "magical", "xianxia", "cultivation",
            "奇幻", "玄幻", "仙侠", "仙俠", "修仙", "魔幻", "魔法",
            "ファンタジー", "魔法",
            "판타지", "마법",
            "แฟนตาซี", "เวทมนตร์", "บำเพ็ญเซียน",
            "giả tưởng", "kỳ ảo", "tiên hiệp", "phép thuật",
            "fantasi", "sihir",
            "fantastique", "fantasy", "magie",
        ),
    ),
    "sci_fi": (
        ("sci_fi",),
        (),
        (
            "science fiction", "sci-fi", "scifi", "space", "astronaut",
            "科幻", "太空", "宇航员", "宇航員",
            "宇宙", "ロボット",
            "공상과학", "우주", "로봇",
            "ไซไฟ", "นิยายวิทยาศาสตร์", "หุ่นยนต์", "อวกาศ",
            "khoa học viễn tưởng", "vũ trụ", "robot",
            "fiksi ilmiah", "luar angkasa",
            "science-fiction", "spatial", "robots",
        ),
    ),
    "musical": (
        ("musical",),
        (),
        (
            "musical", "music", "girl band", "boy band", "k-pop", "idol",
            "音乐", "音樂", "歌舞", "偶像",
            "ミュージカル", "音楽", "アイドル",
            "뮤지컬", "음악", "아이돌",
            "มิวสิคัล", "ดนตรี", "เพลง",
            "âm nhạc", "ca nhạc",
            "musik", "musikal",
            "comédie musicale", "musicale", "musique",
        ),
    ),
    "youth": (
        ("youth",),
        (),
        (
            "teen", "teens", "teenage", "teenager", "coming-of-age", "coming of age",
            "high school", "campus",
            "青春", "校园", "校園", "成长",
            "学園", "成長", "高校生",
            "청춘", "성장", "학원", "하이틴",
            "วัยรุ่น", "วัยเรียน",
            "tuổi teen", "học đường", "thanh xuân", "tuổi mới lớn",
            "remaja",
            "ado", "ados", "adolescent", "adolescente", "initiatique",
        ),
    ),
    "reality": (
        ("reality",),
        ("format_unscripted",),
        (
            "reality", "reality show", "dating show",
            "真人秀", "恋综", "戀綜",
            "リアリティ", "リアリティー",
            "리얼리티", "연애 예능",
            "เรียลลิตี้",
            "truyền hình thực tế", "show hẹn hò",
            "reality show", "acara realitas",
            "télé-réalité",
        ),
    ),
    "game_show": (
        ("game_show",),
        ("format_unscripted",),
        (
            "game show", "quiz", "talent show", "singing competition", "cooking competition",
            "综艺", "綜藝", "选秀", "選秀", "竞赛", "比赛",
            "バラエティ", "クイズ", "オーディション", "対決",
            "예능", "서바이벌", "오디션", "퀴즈",
            "เกมโชว์", "ประกวด",
            "gameshow", "cuộc thi",
            "kuis", "ajang", "lomba", "kontes",
            "jeu télévisé", "télé-crochet", "concours",
        ),
    ),
    "lifestyle": (
        ("lifestyle",),
        (),
        (
            "cooking", "food", "travel", "lifestyle",
            "美食", "烹饪", "旅游",
            "料理", "グルメ",
            "요리", "먹방", "여행",
            "อาหาร", "ท่องเที่ยว",
            "ẩm thực", "nấu ăn", "du lịch",
            "kuliner", "masak", "memasak",
            "cuisine", "culinaire", "gastronomie",
        ),
    ),
    "format": (
        (),
        ("format_unscripted", "format_scripted"),
        (
            "format", "formats", "remake rights", "adaptation rights",
            "模式", "节目模式", "版权模式",
            "フォーマット", "リメイク権",
            "포맷", "리메이크",
            "ฟอร์แมต", "รีเมค",
            "định dạng", "bản quyền làm lại",
            "format acara",
            "droits de remake",
        ),
    ),
    "book": (
        (),
        ("book",),
        (
            "novel", "novels", "book", "books", "web novel",
            "小说", "小說", "网文", "網文",
            "小説", "原作",
            "소설", "웹소설",
            "นิยาย",
            "tiểu thuyết",
            "novel", "buku",
            "roman", "romans", "livre",
        ),
    ),
    "comic": (
        (),
        ("comic",),
        (
            "comic", "comics", "manga", "manhwa", "manhua", "webtoon", "graphic novel",
            "漫画", "漫畫", "条漫",
            "マンガ", "まんが", "コミック",
            "웹툰", "만화",
            "เว็บตูน", "มังงะ",
            "truyện tranh",
            "komik",
            "bande dessinée", "bd", "manga",
        ),
    ),
    "game": (
        (),
        ("game",),
        (
            "video game", "game ip", "videogame",
            "游戏", "遊戲",
            "ゲーム",
            "게임",
            "เกม",
            "trò chơi điện tử", "game",
            "gim", "permainan video",
            "jeu vidéo", "jeux vidéo",
        ),
    ),
}  # fmt: skip


@lru_cache(maxsize=1)
def concept_lexicon() -> dict[str, tuple[Concept, ...]]:
    """Normalised word -> the concepts it names."""
    from reelmarket.discovery.text import normalize

    lexicon: dict[str, list[Concept]] = {}
    for code, (genres, kinds, words) in _LEXICON.items():
        concept = Concept(code=code, genres=frozenset(genres), kinds=frozenset(kinds))
        for word in words:
            key = normalize(word).strip()
            if len(key) >= 2 and concept not in lexicon.setdefault(key, []):
                lexicon[key].append(concept)
    return {key: tuple(value) for key, value in lexicon.items()}


def query_concepts(text: str) -> tuple[Concept, ...]:
    """The kinds of content ``text`` asks for, in the order of ``_LEXICON``.

    "phim hoạt hình gia đình" -> (animation, family); "polar coréen" -> (crime,);
    "校园爱情喜剧" -> (comedy, romance, youth); "Korean detective" -> (crime,).
    """
    from reelmarket.discovery.centroids import lexicon_keys
    from reelmarket.discovery.text import normalize

    norm = normalize(text)
    if not norm.strip():
        return ()
    lexicon = concept_lexicon()
    found = {concept for key in lexicon_keys(norm, lexicon) for concept in lexicon[key]}
    order = list(_LEXICON)
    return tuple(sorted(found, key=lambda concept: order.index(concept.code)))


__all__ = ["Concept", "concept_lexicon", "query_concepts"]
