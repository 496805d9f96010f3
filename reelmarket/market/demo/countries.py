# ruff: noqa: E501 - a data table reads best one country per line
"""Countries and regions of the demo market: where people and companies come from.

Pure data. Each row gives the time zones people there use, the languages they speak (BCP 47),
the name culture their names are drawn from, how many of the FILMART-scale exhibitors come
from there, relative weights for buyers / producers / investors / press, the languages the
country's titles are written in (among the eight catalogue languages), the spoken language
of its titles, its currency, cities for company addresses and story cities (keys of the
phrase banks' ``CITIES``).

The exhibitor column sums to 760 over 38 countries (FILMART 2025: 760+ exhibitors); buyer
weights cover 63 countries, so the participants come from more than 50.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    zones: tuple[str, ...]
    languages: tuple[str, ...]
    culture: str
    exhibitors: int
    buyers: float
    producers: float
    investors: float
    press: float
    text_languages: tuple[tuple[str, int], ...]
    spoken: str
    currency: str
    cities: tuple[str, ...]
    story_cities: tuple[str, ...]
    region: str


# code | zones | languages | culture | exhibitors | buyers producers investors press |
# title text languages (lang:weight) | spoken | currency | cities | story cities | region
_TABLE = """
HK|Asia/Hong_Kong|yue en zh|zh_hk|190|9 8 12 12|zh-Hant:9 en:1|yue|HKD|Hong Kong|hong_kong kowloon|greater_china
CN|Asia/Shanghai|zh en|zh_cn|150|10 14 10 6|zh-Hans:1|zh|CNY|Shanghai,Beijing,Guangzhou,Hangzhou,Nanjing,Changsha,Chengdu,Xiamen|shanghai beijing chengdu guangzhou hangzhou|greater_china
TW|Asia/Taipei|zh en|zh_tw|45|4 5 2 2|zh-Hant:1|zh|TWD|Taipei,Kaohsiung,Taichung|taipei tainan kaohsiung|greater_china
MO|Asia/Macau|yue en pt|zh_hk|5|1 0.5 1 0.5|zh-Hant:1|yue|MOP|Macao|macao|greater_china
JP|Asia/Tokyo|ja en|ja|70|6 5 3 3|ja:1|ja|JPY|Tokyo,Osaka,Kyoto,Fukuoka|tokyo osaka kyoto sapporo|east_asia
KR|Asia/Seoul|ko en|ko|60|6 5 3 3|ko:1|ko|KRW|Seoul,Busan|seoul busan jeju|east_asia
MN|Asia/Ulaanbaatar|mn en|mn|4|0.5 1 0.2 0.2|en:1|mn|MNT|Ulaanbaatar|ulaanbaatar|east_asia
TH|Asia/Bangkok|th en|th|28|4 4 1 1|th:1|th|THB|Bangkok,Chiang Mai|bangkok chiang_mai phuket|asean
VN|Asia/Ho_Chi_Minh|vi en|vi|14|3 3 0.5 1|vi:1|vi|VND|Ho Chi Minh City,Hanoi|saigon hanoi hue|asean
ID|Asia/Jakarta|id en|id|18|3.5 4 0.5 1|id:1|id|IDR|Jakarta,Yogyakarta,Bandung|jakarta yogyakarta bali|asean
MY|Asia/Kuala_Lumpur|ms en zh|ms|16|2.5 2 1 1|en:6 zh-Hans:4|ms|MYR|Kuala Lumpur,Penang|kuala_lumpur penang|asean
SG|Asia/Singapore|en zh ms|sg|14|3 2 5 2|en:6 zh-Hans:4|en|SGD|Singapore|singapore|asean
PH|Asia/Manila|fil en|ph|18|2.5 3 0.5 1|en:1|fil|PHP|Manila,Quezon City,Cebu|manila cebu|asean
KH|Asia/Phnom_Penh|km en|km|5|0.8 1 0.1 0.2|en:1|km|USD|Phnom Penh,Siem Reap|phnom_penh|asean
MM|Asia/Yangon|my en|mm|0|0.5 0.5 0 0.1|en:1|my|MMK|Yangon|bangkok|asean
LA|Asia/Vientiane|lo en|lo|0|0.3 0.3 0 0.1|en:1|lo|LAK|Vientiane|bangkok|asean
BN|Asia/Brunei|ms en|ms|0|0.3 0.1 0.2 0|en:1|ms|BND|Bandar Seri Begawan|kuala_lumpur|asean
IN|Asia/Kolkata|hi en|in|14|3 4 1 1.5|en:1|hi|INR|Mumbai,Chennai,Kolkata,Hyderabad|mumbai kolkata|south_asia
PK|Asia/Karachi|ur en|pk|0|0.6 0.6 0.1 0.2|en:1|ur|PKR|Karachi,Lahore|mumbai|south_asia
BD|Asia/Dhaka|bn en|bd|0|0.5 0.5 0.1 0.2|en:1|bn|BDT|Dhaka|kolkata|south_asia
LK|Asia/Colombo|si en|lk|0|0.4 0.4 0 0.1|en:1|si|LKR|Colombo|mumbai|south_asia
NP|Asia/Kathmandu|ne en|np|0|0.3 0.3 0 0.1|en:1|ne|NPR|Kathmandu|kolkata|south_asia
KZ|Asia/Almaty|kk ru en|kz|3|0.6 0.6 0.3 0.1|en:1|kk|KZT|Almaty,Astana|ulaanbaatar|central_asia
UZ|Asia/Tashkent|uz ru en|uz|0|0.4 0.3 0 0.1|en:1|uz|UZS|Tashkent|ulaanbaatar|central_asia
SA|Asia/Riyadh|ar en|ar|6|1.5 1 3 0.4|en:1|ar|SAR|Riyadh,Jeddah|riyadh jeddah|mena
AE|Asia/Dubai|ar en|ar|1|2 0.5 3 0.5|en:1|ar|AED|Dubai,Abu Dhabi|dubai|mena
QA|Asia/Qatar|ar en|ar|0|0.8 0.2 1.5 0.2|en:1|ar|QAR|Doha|dubai|mena
TR|Europe/Istanbul|tr en|tr|6|1.5 1 0.5 0.4|en:1|tr|TRY|Istanbul|istanbul|mena
EG|Africa/Cairo|ar en|ar|0|0.8 0.5 0.2 0.3|en:1|ar|EGP|Cairo|dubai|mena
JO|Asia/Amman|ar en|ar|0|0.3 0.3 0.1 0.1|en:1|ar|JOD|Amman|dubai|mena
FR|Europe/Paris|fr en|fr|12|3 2 2 2|en:1|fr|EUR|Paris,Lyon|paris marseille|europe
DE|Europe/Berlin|de en|de|6|2.5 1 1 1|en:1|de|EUR|Berlin,Munich,Cologne|berlin|europe
IT|Europe/Rome|it en|it|5|1.5 1 0.5 0.8|en:1|it|EUR|Rome,Milan|rome|europe
ES|Europe/Madrid|es en|es|4|1.5 1 0.5 0.6|en:1|es|EUR|Madrid,Barcelona|barcelona|europe
GB|Europe/London|en|en|10|3 2 2 3|en:1|en|GBP|London,Manchester|london|europe
IE|Europe/Dublin|en ga|en|0|0.5 0.5 0.2 0.3|en:1|en|EUR|Dublin|london|europe
NL|Europe/Amsterdam|nl en|nl|2|1 0.5 0.5 0.3|en:1|nl|EUR|Amsterdam|berlin|europe
BE|Europe/Brussels|nl fr en|fr|2|0.7 0.5 0.3 0.2|en:1|fr|EUR|Brussels|paris|europe
CH|Europe/Zurich|de fr en|de|2|0.7 0.3 0.8 0.2|en:1|de|CHF|Zurich,Geneva|berlin|europe
AT|Europe/Vienna|de en|de|2|0.5 0.3 0.2 0.2|en:1|de|EUR|Vienna|berlin|europe
SE|Europe/Stockholm|sv en|sv|2|0.8 0.4 0.3 0.2|en:1|sv|SEK|Stockholm|berlin|europe
DK|Europe/Copenhagen|da en|da|2|0.7 0.4 0.3 0.2|en:1|da|DKK|Copenhagen|berlin|europe
NO|Europe/Oslo|nb en|no|2|0.6 0.3 0.3 0.2|en:1|nb|NOK|Oslo|berlin|europe
FI|Europe/Helsinki|fi en|fi|1|0.5 0.3 0.2 0.1|en:1|fi|EUR|Helsinki|berlin|europe
PL|Europe/Warsaw|pl en|pl|3|1 0.5 0.2 0.2|en:1|pl|PLN|Warsaw|berlin|europe
CZ|Europe/Prague|cs en|cs|0|0.6 0.3 0.1 0.1|en:1|cs|CZK|Prague|berlin|europe
PT|Europe/Lisbon|pt en|pt|1|0.6 0.3 0.1 0.1|en:1|pt|EUR|Lisbon|barcelona|europe
GR|Europe/Athens|el en|el|0|0.5 0.3 0.1 0.1|en:1|el|EUR|Athens|rome|europe
HU|Europe/Budapest|hu en|hu|0|0.4 0.3 0.1 0.1|en:1|hu|HUF|Budapest|berlin|europe
RO|Europe/Bucharest|ro en|ro|0|0.4 0.3 0.1 0.1|en:1|ro|RON|Bucharest|rome|europe
AU|Australia/Sydney Australia/Melbourne|en|en|10|2.5 1.5 1 1|en:1|en|AUD|Sydney,Melbourne|sydney melbourne|oceania
NZ|Pacific/Auckland|en mi|en|2|0.7 0.5 0.2 0.2|en:1|en|NZD|Auckland,Wellington|sydney|oceania
US|America/Los_Angeles America/New_York|en es|en|20|6 2 3 3|en:1|en|USD|Los Angeles,New York|los_angeles new_york|americas
CA|America/Toronto America/Vancouver|en fr|en|5|1.5 1 0.5 0.5|en:1|en|CAD|Toronto,Vancouver,Montreal|new_york|americas
MX|America/Mexico_City|es en|es|0|1.2 0.5 0.2 0.3|en:1|es|MXN|Mexico City|los_angeles|americas
BR|America/Sao_Paulo|pt en|pt|0|1.2 0.5 0.2 0.3|en:1|pt|BRL|São Paulo,Rio de Janeiro|los_angeles|americas
AR|America/Argentina/Buenos_Aires|es en|es|0|0.6 0.3 0.1 0.1|en:1|es|ARS|Buenos Aires|barcelona|americas
CL|America/Santiago|es en|es|0|0.4 0.2 0.1 0.1|en:1|es|CLP|Santiago|barcelona|americas
CO|America/Bogota|es en|es|0|0.4 0.2 0.1 0.1|en:1|es|COP|Bogotá|barcelona|americas
PE|America/Lima|es en|es|0|0.3 0.2 0 0.1|en:1|es|PEN|Lima|barcelona|americas
ZA|Africa/Johannesburg|en af zu|en|0|0.6 0.4 0.2 0.2|en:1|en|ZAR|Johannesburg,Cape Town|london|africa
NG|Africa/Lagos|en yo|ng|0|0.6 0.5 0.1 0.2|en:1|en|NGN|Lagos|london|africa
KE|Africa/Nairobi|en sw|ke|0|0.4 0.3 0.1 0.1|en:1|en|KES|Nairobi|london|africa
"""


def _parse(table: str) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    for line in table.strip().splitlines():
        (
            code,
            zones,
            langs,
            culture,
            exhibitors,
            weights,
            texts,
            spoken,
            currency,
            cities,
            story,
            region,
        ) = line.split("|")
        buyers, producers, investors, press = (float(w) for w in weights.split())
        countries[code] = Country(
            code=code,
            zones=tuple(zones.split()),
            languages=tuple(langs.split()),
            culture=culture,
            exhibitors=int(exhibitors),
            buyers=buyers,
            producers=producers,
            investors=investors,
            press=press,
            text_languages=tuple(
                (lang, int(weight)) for lang, weight in (item.split(":") for item in texts.split())
            ),
            spoken=spoken,
            currency=currency,
            cities=tuple(cities.split(",")),
            story_cities=tuple(story.split()),
            region=region,
        )
    return countries


COUNTRIES: dict[str, Country] = _parse(_TABLE)

# Territory groups a buyer from a region often buys for, besides their own country.
REGION_TERRITORIES: dict[str, tuple[str, ...]] = {
    "greater_china": ("GREATER_CHINA", "ASIA"),
    "east_asia": ("EAST_ASIA", "ASIA"),
    "asean": ("ASEAN", "ASIA"),
    "south_asia": ("SOUTH_ASIA",),
    "central_asia": ("ASIA",),
    "mena": ("MENA",),
    "europe": ("EUROPE", "EU"),
    "oceania": ("ANZ", "OCEANIA"),
    "americas": ("NORTH_AMERICA", "LATAM"),
    "africa": ("AFRICA",),
}

# Share of a region's participants who attend online rather than in Hong Kong.
ONLINE_SHARE: dict[str, float] = {
    "greater_china": 0.12,
    "east_asia": 0.25,
    "asean": 0.3,
    "south_asia": 0.4,
    "central_asia": 0.45,
    "mena": 0.4,
    "europe": 0.45,
    "oceania": 0.4,
    "americas": 0.5,
    "africa": 0.6,
}
