"""The venue and the pavilions of the demo edition (FILMART 2025 as published).

32 country or region pavilions from 23 countries, each led by a government agency (several
mainland Chinese provinces and cities, Japan and Korea have more than one), plus the
European Film Promotion hub. The pavilions new in 2025 are those the press named: Australia,
Cambodia, France, India, Malaysia, Saudi Arabia and Vietnam.

Pure data. ``members`` says which exhibitors of the country join: ``city`` (Chinese
pavilions by the exhibitor's city), ``kinds`` (split by company kind) or everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EDITION = {
    "name": "FILMART 2025",
    "slug": "filmart-2025",
    "starts_on": (2025, 3, 17),
    "ends_on": (2025, 3, 20),
    "venue": "Hong Kong Convention and Exhibition Centre",
    "city": "Hong Kong",
    "time_zone": "Asia/Hong_Kong",
}

# Hall code -> name. Exhibitors without a pavilion go to 3D.
HALLS: dict[str, str] = {
    "1A": "Hall 1A",
    "1B": "Hall 1B",
    "1C": "Hall 1C",
    "1D": "Hall 1D",
    "1E": "Hall 1E",
    "3C": "Hall 3C",
    "3D": "Hall 3D",
}
INDEPENDENT_HALL = "3D"

# Booth numbers: hall, row letter (no I or O), column 1-20: "1C-D12".
BOOTH_ROWS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
BOOTH_COLUMNS = 20


def booth_number(hall: str, index: int) -> str:
    row, column = divmod(index, BOOTH_COLUMNS)
    letters = BOOTH_ROWS[row % len(BOOTH_ROWS)] * (1 + row // len(BOOTH_ROWS))
    return f"{hall}-{letters}{column + 1}"


@dataclass(frozen=True)
class AgencySpec:
    name: str
    slug: str
    country: str
    city: str
    description: str


@dataclass(frozen=True)
class PavilionSpec:
    slug: str
    name: str
    country: str  # "" for the hub
    agency: AgencySpec
    hall: str
    is_new: bool = False
    cities: tuple[str, ...] = ()  # exhibitor cities that join (Chinese pavilions)
    kinds: tuple[str, ...] = ()  # exhibitor kinds that join (split national pavilions)
    countries: tuple[str, ...] = field(default=())  # hub member countries
    description: str = ""


def _agency(name: str, slug: str, country: str, city: str, about: str) -> AgencySpec:
    return AgencySpec(name=name, slug=slug, country=country, city=city, description=about)


_CN = "CN"
PAVILIONS: tuple[PavilionSpec, ...] = (
    PavilionSpec(
        "hong-kong",
        "Hong Kong Pavilion",
        "HK",
        _agency(
            "Create Hong Kong (CreateHK)",
            "createhk",
            "HK",
            "Hong Kong",
            "Government office that champions Hong Kong's creative industries.",
        ),
        "1A",
        description="Hong Kong producers, sales agents and post-production houses.",
    ),
    PavilionSpec(
        "macao",
        "Macao Pavilion",
        "MO",
        _agency(
            "Macao Cultural Affairs Bureau",
            "macao-cultural-affairs-bureau",
            "MO",
            "Macao",
            "Supports Macao's film and cultural industries.",
        ),
        "1E",
        description="Film and content companies from Macao.",
    ),
    PavilionSpec(
        "shanghai",
        "Shanghai Pavilion",
        _CN,
        _agency(
            "Shanghai Municipal Film Bureau",
            "shanghai-film-bureau",
            _CN,
            "Shanghai",
            "Promotes Shanghai's film and television industry.",
        ),
        "1B",
        cities=("Shanghai",),
        description="Twice its 2024 size: studios, streamers and animation from Shanghai.",
    ),
    PavilionSpec(
        "beijing",
        "Beijing Pavilion",
        _CN,
        _agency(
            "Beijing Municipal Film Bureau",
            "beijing-film-bureau",
            _CN,
            "Beijing",
            "Promotes Beijing's film and television companies abroad.",
        ),
        "1B",
        cities=("Beijing",),
    ),
    PavilionSpec(
        "guangdong",
        "Guangdong Pavilion",
        _CN,
        _agency(
            "Guangdong Provincial Film Bureau",
            "guangdong-film-bureau",
            _CN,
            "Guangzhou",
            "Supports film and animation companies of Guangdong province.",
        ),
        "1B",
        cities=("Guangzhou",),
    ),
    PavilionSpec(
        "zhejiang",
        "Zhejiang Pavilion",
        _CN,
        _agency(
            "Zhejiang Provincial Film Bureau",
            "zhejiang-film-bureau",
            _CN,
            "Hangzhou",
            "Supports film and series producers of Zhejiang province.",
        ),
        "1B",
        cities=("Hangzhou",),
    ),
    PavilionSpec(
        "jiangsu",
        "Jiangsu Pavilion",
        _CN,
        _agency(
            "Jiangsu Provincial Film Bureau",
            "jiangsu-film-bureau",
            _CN,
            "Nanjing",
            "Promotes Jiangsu's audiovisual companies.",
        ),
        "1B",
        cities=("Nanjing",),
    ),
    PavilionSpec(
        "hunan",
        "Hunan Pavilion",
        _CN,
        _agency(
            "Hunan Provincial Radio and Television Bureau",
            "hunan-radio-television-bureau",
            _CN,
            "Changsha",
            "Promotes Hunan's television and variety formats.",
        ),
        "1B",
        cities=("Changsha",),
    ),
    PavilionSpec(
        "sichuan",
        "Sichuan Pavilion",
        _CN,
        _agency(
            "Sichuan Provincial Film Bureau",
            "sichuan-film-bureau",
            _CN,
            "Chengdu",
            "Supports Sichuan's film and animation studios.",
        ),
        "1B",
        cities=("Chengdu",),
    ),
    PavilionSpec(
        "fujian",
        "Fujian Pavilion",
        _CN,
        _agency(
            "Fujian Provincial Film Bureau",
            "fujian-film-bureau",
            _CN,
            "Xiamen",
            "Promotes film companies of Fujian province.",
        ),
        "1B",
        cities=("Xiamen",),
    ),
    PavilionSpec(
        "taiwan",
        "Taiwan Pavilion",
        "TW",
        _agency(
            "Taiwan Creative Content Agency (TAICCA)",
            "taicca",
            "TW",
            "Taipei",
            "Invests in and promotes Taiwan's creative content internationally.",
        ),
        "1E",
        description="Expanded in 2025: Taiwanese films, series and IP.",
    ),
    PavilionSpec(
        "japan-film",
        "Japan Pavilion — Film",
        "JP",
        _agency(
            "UNIJAPAN",
            "unijapan",
            "JP",
            "Tokyo",
            "Promotes Japanese films abroad and runs the Tokyo International Film Festival.",
        ),
        "1C",
        kinds=("sales_agent", "production_company", "distributor", "association"),
        description="Expanded in 2025: Japanese sales agents and producers.",
    ),
    PavilionSpec(
        "japan-content",
        "Japan Pavilion — Content",
        "JP",
        _agency(
            "Visual Industry Promotion Organization (VIPO)",
            "vipo",
            "JP",
            "Tokyo",
            "Supports Japan's content industry: anime, drama and formats.",
        ),
        "1C",
        kinds=("studio", "broadcaster", "streamer", "financier", "foundation"),
    ),
    PavilionSpec(
        "korea-film",
        "Korean Film Pavilion",
        "KR",
        _agency(
            "Korean Film Council (KOFIC)",
            "kofic",
            "KR",
            "Busan",
            "Supports and promotes Korean cinema at home and abroad.",
        ),
        "1C",
        kinds=("sales_agent", "production_company", "distributor", "association"),
    ),
    PavilionSpec(
        "korea-content",
        "Korea Content Pavilion",
        "KR",
        _agency(
            "Korea Creative Content Agency (KOCCA)",
            "kocca",
            "KR",
            "Naju",
            "Promotes Korean drama, animation and formats.",
        ),
        "1C",
        kinds=("studio", "broadcaster", "streamer", "financier", "foundation"),
    ),
    PavilionSpec(
        "mongolia",
        "Mongolia Pavilion",
        "MN",
        _agency(
            "Mongolian National Film Council",
            "mongolian-national-film-council",
            "MN",
            "Ulaanbaatar",
            "Supports Mongolian filmmakers and co-productions.",
        ),
        "1E",
    ),
    PavilionSpec(
        "thailand",
        "Thailand Pavilion",
        "TH",
        _agency(
            "Department of International Trade Promotion (DITP)",
            "ditp-thailand",
            "TH",
            "Bangkok",
            "Promotes Thai films, series and animation abroad.",
        ),
        "1D",
        description="Expanded in 2025: Thai films, series and animation.",
    ),
    PavilionSpec(
        "philippines",
        "Philippines Pavilion",
        "PH",
        _agency(
            "Film Development Council of the Philippines (FDCP)",
            "fdcp",
            "PH",
            "Manila",
            "The national film agency of the Philippines.",
        ),
        "1D",
        description="Expanded in 2025: Filipino films and series.",
    ),
    PavilionSpec(
        "malaysia",
        "Malaysia Pavilion",
        "MY",
        _agency(
            "National Film Development Corporation Malaysia (FINAS)",
            "finas",
            "MY",
            "Kuala Lumpur",
            "Develops and promotes Malaysia's film industry.",
        ),
        "1D",
        is_new=True,
    ),
    PavilionSpec(
        "vietnam",
        "Vietnam Pavilion",
        "VN",
        _agency(
            "Cinema Department of Vietnam",
            "vietnam-cinema-department",
            "VN",
            "Hanoi",
            "The Ministry of Culture's authority for film.",
        ),
        "1D",
        is_new=True,
    ),
    PavilionSpec(
        "indonesia",
        "Indonesia Pavilion",
        "ID",
        _agency(
            "Ministry of Creative Economy of Indonesia",
            "indonesia-creative-economy",
            "ID",
            "Jakarta",
            "Promotes Indonesia's creative industries.",
        ),
        "1D",
    ),
    PavilionSpec(
        "singapore",
        "Singapore Pavilion",
        "SG",
        _agency(
            "Infocomm Media Development Authority (IMDA)",
            "imda",
            "SG",
            "Singapore",
            "Develops Singapore's media sector.",
        ),
        "1D",
    ),
    PavilionSpec(
        "cambodia",
        "Cambodia Pavilion",
        "KH",
        _agency(
            "Cambodia Film Commission",
            "cambodia-film-commission",
            "KH",
            "Phnom Penh",
            "Promotes Cambodia as a filming location and its filmmakers.",
        ),
        "1D",
        is_new=True,
    ),
    PavilionSpec(
        "india",
        "India Pavilion",
        "IN",
        _agency(
            "National Film Development Corporation of India (NFDC)",
            "nfdc",
            "IN",
            "Mumbai",
            "India's national agency for film development.",
        ),
        "1E",
        is_new=True,
    ),
    PavilionSpec(
        "australia",
        "Australia Pavilion",
        "AU",
        _agency(
            "Screen Australia",
            "screen-australia",
            "AU",
            "Sydney",
            "The Australian Government's screen agency.",
        ),
        "1E",
        is_new=True,
    ),
    PavilionSpec(
        "saudi-arabia",
        "Saudi Arabia Pavilion",
        "SA",
        _agency(
            "Saudi Film Commission",
            "saudi-film-commission",
            "SA",
            "Riyadh",
            "Develops Saudi Arabia's film sector.",
        ),
        "1E",
        is_new=True,
    ),
    PavilionSpec(
        "france",
        "France Pavilion",
        "FR",
        _agency(
            "CNC / Unifrance",
            "cnc-unifrance",
            "FR",
            "Paris",
            "France's national film centre and its promotion agency for French cinema.",
        ),
        "3C",
        is_new=True,
    ),
    PavilionSpec(
        "italy",
        "Italy Pavilion",
        "IT",
        _agency(
            "ITA – Italian Trade Agency",
            "ita-italian-trade-agency",
            "IT",
            "Rome",
            "Promotes Italian companies abroad.",
        ),
        "3C",
    ),
    PavilionSpec(
        "spain",
        "Spain Pavilion",
        "ES",
        _agency(
            "ICEX Spain Trade and Investment",
            "icex",
            "ES",
            "Madrid",
            "Promotes Spanish audiovisual companies internationally.",
        ),
        "3C",
    ),
    PavilionSpec(
        "turkiye",
        "Türkiye Pavilion",
        "TR",
        _agency(
            "Ministry of Culture and Tourism of Türkiye",
            "turkiye-culture-tourism",
            "TR",
            "Ankara",
            "Supports Turkish cinema and series abroad.",
        ),
        "3D",
    ),
    PavilionSpec(
        "canada",
        "Canada Pavilion",
        "CA",
        _agency(
            "Telefilm Canada",
            "telefilm-canada",
            "CA",
            "Montreal",
            "Canada's federal agency for the audiovisual industry.",
        ),
        "3D",
    ),
    PavilionSpec(
        "kazakhstan",
        "Kazakhstan Pavilion",
        "KZ",
        _agency(
            "State Centre for Support of National Cinema",
            "kazakhstan-cinema-centre",
            "KZ",
            "Astana",
            "Funds and promotes Kazakh cinema.",
        ),
        "3D",
    ),
    PavilionSpec(
        "efp",
        "European Film Promotion Hub",
        "",
        _agency(
            "European Film Promotion (EFP)",
            "european-film-promotion",
            "DE",
            "Hamburg",
            "Network of European national film promotion organisations.",
        ),
        "3C",
        countries=("DE", "NL", "BE", "CH", "AT", "SE", "DK", "NO", "FI", "PL", "PT"),
        description="European sales agents and promotion bodies under one roof.",
    ),
)

HUB_SLUG = "efp"
