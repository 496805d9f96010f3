# ruff: noqa: E501 - name lists read best one culture per line
"""People's and companies' names for the demo, per name culture (see ``countries.py``).

Pure data plus two small helpers. Names are written the way they appear on a business
card at an international market: romanised for East Asia, with diacritics where the
language has them (Vietnamese, Turkish, Polish ...). ``FAMILY_FIRST`` cultures put the
family name first ("Wang Fang", "Kim Min-jun", "Nguyễn Thị Mai").
"""

from __future__ import annotations

import re
import unicodedata

# culture: (given names, family names), comma-separated.
_NAMES: dict[str, tuple[str, str]] = {
    "zh_cn": (
        "Fang,Wei,Jing,Lei,Xiaoming,Yan,Hao,Li,Jun,Ting,Yu,Chen,Xin,Bo,Lina,Zhiwei",
        "Wang,Li,Zhang,Liu,Chen,Yang,Zhao,Huang,Zhou,Wu,Xu,Sun,Ma,Hu,Guo,Lin",
    ),
    "zh_hk": (
        "Karen,Tony,Winnie,Kelvin,Cherry,Raymond,Ivy,Alan,Vivian,Edmond,Ka-yan,Wing-sze,Chi-keung,Siu-ming,Hoi-lam,Ming",
        "Chan,Wong,Lee,Cheung,Lau,Ho,Ng,Leung,Yip,Tang,Lam,Tsang,Chow,Fung,Kwok,Mak",
    ),
    "zh_tw": (
        "Yi-chen,Wei-ting,Chia-hao,Shu-fen,Po-han,Ya-ting,Chun-chieh,Hsin-yi,Kuan-yu,Mei-ling,Yu-hsuan,Tzu-yang",
        "Chen,Lin,Huang,Chang,Lee,Wang,Wu,Liu,Tsai,Yang,Hsu,Cheng",
    ),
    "ja": (
        "Kenji,Haruto,Yuki,Aiko,Sakura,Ren,Mei,Daisuke,Yui,Takumi,Naoko,Hiroshi,Emi,Sota,Akiko,Ryo",
        "Sato,Suzuki,Takahashi,Tanaka,Watanabe,Ito,Yamamoto,Nakamura,Kobayashi,Kato,Yoshida,Yamada,Sasaki,Matsumoto,Inoue,Kimura",
    ),
    "ko": (
        "Min-jun,Seo-yeon,Ji-hoon,Ha-eun,Do-yun,Su-bin,Jae-won,Ye-jin,Hyun-woo,Ji-woo,Seung-ho,Eun-ji",
        "Kim,Lee,Park,Choi,Jung,Kang,Cho,Yoon,Jang,Lim,Han,Shin",
    ),
    "mn": (
        "Bat-Erdene,Enkhjargal,Oyunchimeg,Ganbold,Tsetseg,Munkh-Orgil,Sarangerel,Temuulen",
        "Batbayar,Ganbaatar,Dorj,Enkhbold,Tsogt,Purev,Altankhuyag,Sukhbaatar",
    ),
    "th": (
        "Somchai,Nattapong,Siriporn,Kanokwan,Apichat,Pimchanok,Thanawat,Ploy,Chayanin,Arunee,Kittipong,Warunee",
        "Srisuk,Wongsawat,Chaiyaporn,Rattanakul,Suksawat,Boonmee,Thongchai,Kaewkla,Phromphan,Saetang,Intarasuk,Jaidee",
    ),
    "vi": (
        "Thị Mai,Văn Hùng,Minh Anh,Thu Hà,Quốc Bảo,Ngọc Lan,Đức Minh,Hoàng Nam,Thanh Hương,Gia Huy,Bảo Ngọc,Tuấn Kiệt",
        "Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Đặng,Bùi,Đỗ,Võ",
    ),
    "id": (
        "Dewi,Budi,Ayu,Rizky,Putri,Agus,Sari,Dimas,Intan,Bayu,Ratna,Yoga",
        "Lestari,Santoso,Wijaya,Hidayat,Saputra,Kusuma,Pratama,Nugroho,Halim,Setiawan,Siregar,Rahman",
    ),
    "ms": (
        "Aisyah,Hafiz,Nurul,Amir,Siti,Farid,Wei Ming,Mei Ling,Arjun,Priya,Zulkifli,Hui Min",
        "Ahmad,Ismail,Abdullah,Rahman,Tan,Lim,Wong,Lee,Krishnan,Raj,Hassan,Yusof",
    ),
    "sg": (
        "Jia Hui,Wei Jie,Rachel,Marcus,Nurul,Daniel,Shu Ting,Ravi,Siti,Bryan,Hui Ling,Jun Wei",
        "Tan,Lim,Lee,Ng,Ong,Wong,Goh,Chua,Koh,Teo,Rahman,Pillai",
    ),
    "ph": (
        "Maria,Jose,Angelica,Mark,Kristine,Paolo,Jasmine,Carlo,Bea,Miguel,Andrea,Rafael",
        "Santos,Reyes,Cruz,Bautista,Garcia,Mendoza,Dela Cruz,Villanueva,Ramos,Aquino,Navarro,Castillo",
    ),
    "km": (
        "Sokha,Dara,Sreymom,Vannak,Chanthy,Rithy,Sophea,Pisey",
        "Chan,Sok,Kim,Heng,Meas,Chea,Sam,Pich",
    ),
    "mm": ("Aung,Thiri,Kyaw,Hnin,Zaw,Myat,Min,Su", "Win,Htun,Oo,Aye,Naing,Lwin,Myint,Thant"),
    "lo": (
        "Somphone,Vilayphone,Khamla,Souksavanh,Noy,Bounmy",
        "Phommachanh,Sisavath,Vongsa,Keomany,Inthavong,Chanthavong",
    ),
    "in": (
        "Priya,Arjun,Ananya,Rahul,Kavya,Vikram,Meera,Rohan,Divya,Karan,Aditi,Siddharth",
        "Sharma,Patel,Iyer,Reddy,Gupta,Mehta,Nair,Kapoor,Rao,Banerjee,Singh,Menon",
    ),
    "pk": (
        "Ayesha,Bilal,Fatima,Hamza,Sana,Usman,Zara,Imran",
        "Khan,Ahmed,Malik,Hussain,Qureshi,Siddiqui,Chaudhry,Shah",
    ),
    "bd": (
        "Nusrat,Tanvir,Farhana,Rafiq,Sabrina,Arif,Tahmina,Shakib",
        "Rahman,Hossain,Islam,Chowdhury,Ahmed,Sarkar,Karim,Uddin",
    ),
    "lk": (
        "Nimali,Kasun,Dilani,Chaminda,Sanduni,Ruwan,Ishara,Tharindu",
        "Perera,Fernando,Silva,Jayawardena,Wickramasinghe,Bandara,Gunasekara,Dissanayake",
    ),
    "np": (
        "Sita,Bikash,Anjali,Suman,Prakriti,Rajesh,Sunita,Nabin",
        "Shrestha,Gurung,Tamang,Thapa,Adhikari,Rai,Karki,Magar",
    ),
    "kz": (
        "Aigerim,Nursultan,Dana,Yerlan,Madina,Arman,Zhanna,Daniyar",
        "Nurpeisova,Suleimenov,Abenov,Zhakupova,Ospanov,Seitkali,Kassymov,Bekova",
    ),
    "uz": (
        "Dilnoza,Jasur,Malika,Sardor,Nodira,Bekzod,Gulnora,Otabek",
        "Karimova,Rakhimov,Yusupova,Tashkentov,Alimov,Saidova,Ergashev,Nazarova",
    ),
    "ar": (
        "Faisal,Noura,Omar,Layla,Khalid,Reem,Yousef,Hind,Tariq,Mariam,Abdullah,Sara",
        "Al-Harbi,Al-Otaibi,Al-Qahtani,Al-Mansouri,Haddad,Nasser,Al-Shamsi,Mahmoud,Al-Zahrani,Khoury,Saleh,Farouk",
    ),
    "tr": (
        "Elif,Emre,Zeynep,Burak,Ayşe,Mehmet,Selin,Can",
        "Yılmaz,Kaya,Demir,Şahin,Çelik,Aydın,Öztürk,Arslan",
    ),
    "fr": (
        "Camille,Julien,Léa,Thomas,Manon,Antoine,Chloé,Nicolas,Inès,Mathieu,Sophie,Hugo",
        "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Laurent,Girard",
    ),
    "de": (
        "Anna,Lukas,Lena,Felix,Katharina,Jonas,Sophie,Maximilian,Julia,Tobias,Laura,Stefan",
        "Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Hoffmann,Schulz,Koch,Richter",
    ),
    "it": (
        "Giulia,Marco,Francesca,Luca,Chiara,Alessandro,Sara,Matteo,Elena,Davide",
        "Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco",
    ),
    "es": (
        "Lucía,Pablo,María,Javier,Carmen,Diego,Elena,Alejandro,Sofía,Andrés,Paula,Mateo",
        "García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Díaz,Torres,Ramírez",
    ),
    "en": (
        "Emma,James,Olivia,Daniel,Charlotte,Michael,Sarah,David,Grace,Thomas,Emily,Benjamin,Hannah,Samuel,Rachel,Jack",
        "Smith,Johnson,Williams,Brown,Taylor,Wilson,Davies,Evans,Clarke,Walker,Thompson,Wright,Hughes,Green,Hall,Mitchell",
    ),
    "nl": (
        "Sanne,Daan,Lotte,Bram,Fleur,Thijs,Eva,Joris",
        "de Jong,Jansen,de Vries,van den Berg,Bakker,Visser,Smit,Meijer",
    ),
    "sv": (
        "Elin,Erik,Maja,Oskar,Linnea,Johan,Ebba,Gustav",
        "Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsson,Lindqvist",
    ),
    "da": (
        "Freja,Mads,Ida,Rasmus,Sofie,Mikkel,Emma,Frederik",
        "Nielsen,Jensen,Hansen,Pedersen,Andersen,Christensen,Larsen,Sørensen",
    ),
    "no": (
        "Ingrid,Henrik,Nora,Sindre,Kari,Magnus,Sigrid,Anders",
        "Hansen,Johansen,Olsen,Larsen,Berg,Haugen,Bakken,Solberg",
    ),
    "fi": (
        "Aino,Mikko,Emilia,Juho,Veera,Ville,Sanna,Eero",
        "Korhonen,Virtanen,Mäkinen,Nieminen,Laine,Heikkinen,Koskinen,Järvinen",
    ),
    "pl": (
        "Agnieszka,Piotr,Katarzyna,Tomasz,Magdalena,Paweł,Zofia,Michał",
        "Nowak,Kowalski,Wiśniewska,Wójcik,Kamińska,Lewandowski,Zielińska,Szymański",
    ),
    "cs": (
        "Tereza,Jakub,Eliška,Ondřej,Kateřina,Martin,Lucie,Petr",
        "Novák,Svobodová,Dvořák,Černá,Procházka,Kučerová,Veselý,Horáková",
    ),
    "pt": (
        "Beatriz,João,Mariana,Pedro,Ana,Rafael,Juliana,Lucas,Camila,Tiago",
        "Silva,Santos,Oliveira,Souza,Pereira,Costa,Ferreira,Almeida,Carvalho,Rodrigues",
    ),
    "el": (
        "Eleni,Giorgos,Maria,Nikos,Katerina,Dimitris,Sofia,Yannis",
        "Papadopoulos,Georgiou,Nikolaou,Ioannou,Vlachou,Konstantinou,Pappas,Dimitriou",
    ),
    "hu": (
        "Eszter,Bence,Anna,Dániel,Réka,Máté,Zsófia,Gergely",
        "Nagy,Kovács,Tóth,Szabó,Horváth,Varga,Kiss,Molnár",
    ),
    "ro": (
        "Ioana,Andrei,Elena,Mihai,Ana,Alexandru,Maria,Radu",
        "Popescu,Ionescu,Popa,Dumitru,Stan,Stoica,Gheorghe,Matei",
    ),
    "ng": (
        "Chiamaka,Tunde,Ngozi,Emeka,Funmilayo,Chidi,Aisha,Babatunde",
        "Okafor,Adeyemi,Okonkwo,Balogun,Eze,Adebayo,Nwosu,Olawale",
    ),
    "ke": (
        "Wanjiru,Otieno,Akinyi,Kamau,Njeri,Mwangi,Achieng,Kipchoge",
        "Mwangi,Otieno,Kariuki,Wanjala,Njoroge,Ochieng,Mutua,Kiprono",
    ),
}

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    culture: (tuple(given.split(",")), tuple(family.split(",")))
    for culture, (given, family) in _NAMES.items()
}

FAMILY_FIRST = frozenset({"zh_cn", "zh_tw", "ko", "vi", "km"})


def full_name(culture: str, given: str, family: str) -> str:
    return f"{family} {given}" if culture in FAMILY_FIRST else f"{given} {family}"


# Words companies of a culture are named after (romanised where needed). Company names
# combine one or two of them with an English suffix for the company's kind.
_ORG_WORDS: dict[str, str] = {
    "zh_cn": "Huaxia,Tianma,Changjiang,Jinhai,Longteng,Xinghe,Yunshan,Qingming,Huayi,Dongfang,Jinse,Haitang,Ruiying,Baihe,Zijin,Feiyang",
    "zh_hk": "Golden Harbour,Lion Rock,Star Ferry,Victoria,Jade,Pearl River,Neon,Typhoon,Bauhinia,Peak,Silvergate,Kowloon,Red Lantern,Junk Bay,Nathan,Causeway",
    "zh_tw": "Formosa,Jade Mountain,Sun Moon,Alishan,Bluewave,Ximen,Tamsui,Lotus,Liberty,Harbour Light",
    "ja": "Hoshizora,Hikari,Aozora,Tsubasa,Kazeno,Yume,Sakura,Midori,Akatsuki,Shirokuma,Kaede,Nagisa,Tsukimi,Umibe,Kumo,Hanabi",
    "ko": "Hanul,Mirae,Saebyeok,Baram,Nuri,Bitnara,Haneul,Dasom,Sarang,Byeol,Gureum,Arirang",
    "mn": "Altai,Khangai,Steppe,Blue Sky,Khan",
    "th": "Siam,Chao Phraya,Lanna,Sawasdee,Mekong,Orchid,Tuk Tuk,Songkran,Golden Elephant,Lotus",
    "vi": "Sen Vàng,Sông Hồng,Hạ Long,Mekong,Bến Thành,Phượng Hoàng,Trăng Rằm,Sao Mai,Cánh Diều,Hoa Sen",
    "id": "Garuda,Nusantara,Merapi,Cahaya,Bintang,Pelangi,Samudra,Rajawali,Batavia,Kencana",
    "ms": "Merdeka,Harimau,Petronas Bay,Pelita,Bunga Raya,Rimba,Cendana,Mutiara",
    "sg": "Merlion,Lion City,Marina,Orchard,Sentosa,Raffles,Straits,Red Dot",
    "ph": "Bayanihan,Sampaguita,Pacific Pearl,Manila Bay,Tala,Araw,Bituin,Luzon",
    "km": "Angkor,Mekong Star,Apsara,Tonle",
    "mm": "Irrawaddy,Golden Land",
    "lo": "Champa,Mekong Moon",
    "in": "Lotus,Ganga,Saffron,Monsoon,Bollywood Bay,Kaveri,Peacock,Himalaya,Surya,Chandni",
    "pk": "Indus,Crescent,Karakoram",
    "bd": "Padma,Delta,Sundarban",
    "lk": "Serendib,Lanka,Kandy",
    "np": "Everest,Himal",
    "kz": "Silk Road,Steppe Wind,Altyn,Tengri",
    "uz": "Samarkand,Bukhara",
    "ar": "Al Noor,Oasis,Falcon,Desert Rose,Najm,Sahara,Red Sea,Al Waha",
    "tr": "Bosphorus,Anatolia,Galata,Lale",
    "fr": "Lumière,Bleu Horizon,Les Films du Nord,Rive Gauche,Écran,Cinéfrance,Marianne,Belle Époque",
    "de": "Nordlicht,Spree,Lichtspiel,Blauer Himmel,Rhein,Alpenglühen",
    "it": "Aurora,Vesuvio,Tevere,Luce,Stella",
    "es": "Solar,Brisa,Faro,Mediterráneo,Candela",
    "en": "Silver Screen,Northern Star,Blue Harbour,Red Kite,Evergreen,Lighthouse,Redwood,Skyline,Black Swan,Meridian,Firefly,Granite,Harbourside,Polaris,Bluebird,Crescent Moon",
    "nl": "Tulip,Dijk,Polder",
    "sv": "Norrsken,Fjäril",
    "da": "Havfrue,Nordlys",
    "no": "Fjord,Aurora Borealis",
    "fi": "Revontuli,Sisu",
    "pl": "Wisła,Bursztyn,Orzeł",
    "cs": "Vltava,Bohemia",
    "pt": "Tejo,Atlântico,Saudade",
    "el": "Aegean,Olympus",
    "hu": "Duna,Tisza",
    "ro": "Carpathia,Dacia",
    "ng": "Nollywood Bay,Savannah",
    "ke": "Safari,Kilima",
}

ORG_WORDS: dict[str, tuple[str, ...]] = {c: tuple(w.split(",")) for c, w in _ORG_WORDS.items()}

ORG_SUFFIXES: dict[str, tuple[str, ...]] = {
    "sales_agent": (
        "International",
        "Film Sales",
        "Global",
        "World Sales",
        "Pictures International",
        "Content Sales",
    ),
    "production_company": (
        "Pictures",
        "Films",
        "Productions",
        "Film Company",
        "Entertainment",
        "Film Studio",
    ),
    "distributor": ("Distribution", "Releasing", "Media", "Film Distribution", "Cinemas", "Films"),
    "studio": (
        "Studios",
        "Animation",
        "Animation Studio",
        "Works",
        "Digital Studio",
        "Games & Animation",
    ),
    "broadcaster": ("TV", "Television", "Broadcasting", "Channel", "Media Group", "Network"),
    "streamer": ("Play", "Stream", "Plus", "TV+", "Now", "Go"),
    "financier": ("Capital", "Media Fund", "Ventures", "Film Finance", "Content Fund", "Partners"),
    "foundation": ("Foundation", "Film Fund", "Cinema Foundation", "Arts Foundation"),
    "association": (
        "Film Association",
        "Producers Association",
        "Content Alliance",
        "Animation Association",
    ),
}

PRESS_OUTLETS = (
    "Asia Screen Weekly",
    "Reel Asia",
    "Film Trade Daily",
    "Content Asia Report",
    "Pacific Box Office",
    "The Market Bulletin",
    "Streaming Insider Asia",
    "Cinema Orient",
    "Screen Pulse",
    "Format Watch",
)

_TRANSLIT = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "ı": "i",
        "œ": "oe",
        "þ": "th",
    }
)


def ascii_slug(text: str) -> str:
    """``"Nguyễn Thị Mai"`` -> ``"nguyen-thi-mai"``; letters without an ASCII form are transliterated."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
