"""Vocabularies and weights of the demo market (values of ``market.enums`` and
``catalogue.enums`` as strings, so the generator needs no Django)."""

from __future__ import annotations

EXHIBITOR_KINDS = (
    ("sales_agent", 30),
    ("production_company", 30),
    ("distributor", 13),
    ("studio", 9),
    ("broadcaster", 9),
    ("streamer", 5),
    ("association", 4),
)
BUYER_KINDS = (("distributor", 40), ("broadcaster", 30), ("streamer", 30))
CN_CITIES = (
    ("Shanghai", 30),
    ("Beijing", 20),
    ("Guangzhou", 12),
    ("Hangzhou", 12),
    ("Nanjing", 7),
    ("Changsha", 8),
    ("Chengdu", 6),
    ("Xiamen", 5),
)
TITLE_KINDS = (
    "feature",
    "series",
    "animation_feature",
    "animation_series",
    "documentary",
    "short",
    "format_unscripted",
    "format_scripted",
    "book",
    "comic",
    "game",
)
STORY_GENRES = (
    "action",
    "adventure",
    "comedy",
    "crime",
    "drama",
    "family",
    "fantasy",
    "historical",
    "horror",
    "martial_arts",
    "musical",
    "mystery",
    "romance",
    "sci_fi",
    "thriller",
    "war",
    "youth",
)
BUDGET_RANGES = ("micro", "low", "mid", "high", "tentpole")

# How much an exhibitor of a kind owns titles of a kind (relative).
OWNER_AFFINITY: dict[str, dict[str, float]] = {
    "feature": {
        "sales_agent": 3,
        "production_company": 2,
        "distributor": 1,
        "studio": 0.5,
        "broadcaster": 0.3,
        "streamer": 0.5,
    },
    "series": {
        "broadcaster": 3,
        "streamer": 2,
        "production_company": 2,
        "sales_agent": 1.5,
        "studio": 0.5,
        "distributor": 0.3,
    },
    "animation_feature": {
        "studio": 4,
        "sales_agent": 1.5,
        "production_company": 1,
        "broadcaster": 0.5,
    },
    "animation_series": {"studio": 4, "broadcaster": 1, "sales_agent": 1, "production_company": 1},
    "documentary": {
        "production_company": 2,
        "sales_agent": 2,
        "broadcaster": 1.5,
        "distributor": 0.5,
    },
    "short": {"production_company": 2, "sales_agent": 1, "distributor": 0.5},
    "format_unscripted": {
        "broadcaster": 4,
        "production_company": 2,
        "sales_agent": 1,
        "streamer": 1,
    },
    "format_scripted": {"broadcaster": 4, "production_company": 2, "sales_agent": 1, "streamer": 1},
    "book": {"production_company": 1.5, "sales_agent": 1.5, "studio": 1, "streamer": 0.5},
    "comic": {"studio": 2, "streamer": 1.5, "sales_agent": 1, "production_company": 1},
    "game": {"studio": 3, "sales_agent": 1, "production_company": 0.5},
}
OWNER_BASE = {
    "sales_agent": 3,
    "production_company": 1.5,
    "studio": 1.5,
    "broadcaster": 1.5,
    "distributor": 0.7,
    "streamer": 0.5,
}

VISIBILITY = (("public", 30), ("participants", 60), ("hidden", 10))
CONTACT_VISIBILITY = (("hidden", 60), ("participants", 30), ("public", 10))
VETTING = {
    "organiser": (("approved", 100),),
    "seller": (("approved", 97), ("pending", 3)),
    "buyer": (("approved", 88), ("pending", 10), ("rejected", 2)),
    "producer": (("approved", 90), ("pending", 10)),
    "investor": (("approved", 92), ("pending", 8)),
    "press": (("approved", 85), ("pending", 15)),
}
JOBS = {
    "seller": (
        "Head of International Sales",
        "Sales Manager",
        "Sales & Festivals Coordinator",
        "Managing Director",
        "Acquisitions & Sales Executive",
        "CEO",
    ),
    "buyer": (
        "Head of Acquisitions",
        "Acquisitions Manager",
        "Content Acquisition Executive",
        "VP Programming",
        "Director of Content",
        "Senior Buyer",
    ),
    "producer": (
        "Producer",
        "Executive Producer",
        "Creative Producer",
        "Line Producer",
        "Development Producer",
    ),
    "investor": (
        "Investment Director",
        "Fund Manager",
        "Programme Officer",
        "Partner",
        "Head of Film Finance",
    ),
    "press": ("Reporter", "Asia Editor", "Correspondent", "Film Critic"),
    "organiser": (
        "Project Manager, FILMART",
        "Buyer Relations",
        "Exhibitor Services",
        "Business Matching",
        "Programme Coordinator",
    ),
}
BUYER_KINDS_BY_ORG = {
    "broadcaster": (
        "series",
        "documentary",
        "format_unscripted",
        "format_scripted",
        "animation_series",
    ),
    "streamer": ("series", "feature", "animation_series", "animation_feature", "documentary"),
    "distributor": ("feature", "animation_feature", "documentary", "short"),
}
KIND_WORDS = {
    "feature": "features",
    "series": "drama series",
    "animation_feature": "animated features",
    "animation_series": "animated series",
    "documentary": "documentaries",
    "short": "shorts",
    "format_unscripted": "unscripted formats",
    "format_scripted": "scripted formats",
    "book": "book IP",
    "comic": "comic IP",
    "game": "game IP",
}
ORG_ABOUT = {
    "sales_agent": "International sales agent representing {what} from {country}.",
    "production_company": "Independent production company making {what}.",
    "distributor": "Distributor releasing {what} in {country}.",
    "studio": "Studio producing {what}, with an in-house IP team.",
    "broadcaster": "Broadcaster commissioning and licensing {what}.",
    "streamer": "Streaming platform acquiring {what} for viewers in {country} and the region.",
    "financier": "Film and series financier investing in {what}.",
    "foundation": "Foundation supporting independent {what} with grants.",
    "association": "Industry association promoting {what} from {country}.",
    "government_agency": "Public agency promoting {what} from {country}.",
}
ORG_WHAT = (
    "features and series",
    "Asian genre cinema",
    "animation and family content",
    "documentaries",
    "drama series and formats",
    "independent features",
    "IP for film and series adaptation",
)
