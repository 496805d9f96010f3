"""The demo catalogue as plain data, generated title by title.

Pure Python. :func:`iter_titles` yields :class:`TitleSpec` values for a range of indices;
title ``i`` depends only on the seed, the market plan and ``i`` (each title has its own
``random.Random``), so the catalogue can be streamed in batches of any size, generated in
parallel or resumed, and is identical every time.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from reelmarket.market.demo.banks import BANKS, GENRE_SETTINGS, LANGUAGES
from reelmarket.market.demo.countries import COUNTRIES
from reelmarket.market.demo.names import NAMES, full_name
from reelmarket.market.demo.rights import WindowSpec, plan_windows
from reelmarket.market.demo.specs import MarketPlan, OwnerSpec
from reelmarket.market.demo.text import Story, Text, compose
from reelmarket.market.demo.title_vocab import (
    BUDGETS,
    COMPATIBLE,
    COPRODUCERS,
    EXTRA_LANGUAGES,
    FESTIVALS,
    FX,
    KIND_SHARES,
    SCREEN_KINDS,
    SPOKEN,
    STAGES,
    STORY_WEIGHTS,
)
from reelmarket.market.demo.vocab import OWNER_AFFINITY, TITLE_KINDS


@dataclass(frozen=True)
class CreditSpec:
    role: str
    name: str


@dataclass(frozen=True)
class RecognitionSpec:
    festival: str
    year: int
    kind: str
    award: str


@dataclass(frozen=True)
class TitleSpec:
    index: int
    owner: str  # organisation slug
    reference: str
    kind: str
    story_genre: str
    original_title: str
    original_language: str
    year: int | None
    runtime_minutes: int | None
    episodes: int | None
    episode_minutes: int | None
    stage: str
    budget_amount: Decimal | None
    budget_currency: str
    financing_secured: Decimal | None
    trailer_url: str
    screener_url: str
    new_this_market: bool
    genres: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    texts: tuple[Text, ...]
    credits: tuple[CreditSpec, ...]
    recognitions: tuple[RecognitionSpec, ...]
    windows: tuple[WindowSpec, ...]


def _pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    total = sum(w for _, w in pairs)
    point = rng.random() * total
    for value, weight in pairs:
        point -= weight
        if point < 0:
            return value
    return pairs[-1][0]


def kind_sequence(seed: int) -> tuple[str, ...]:
    """100 kinds in KIND_SHARES proportions; the first 11 are one of each kind."""
    rest = [k for k, n in KIND_SHARES.items() for _ in range(n - 1)]
    random.Random(f"reelmarket-demo:{seed}:kinds").shuffle(rest)
    return (*TITLE_KINDS, *rest)


class Catalogue:
    """Generates titles for a market plan; ``catalogue.title(i)`` is pure in ``i``."""

    # Every SELLER_EVERY-th title belongs to the printed seller (Kenji's company).
    SELLER_EVERY = 30

    def __init__(self, plan: MarketPlan) -> None:
        self.plan = plan
        self.kinds = kind_sequence(plan.seed)

    @cached_property
    def _owner_tables(self) -> dict[str, tuple[list[float], list[OwnerSpec]]]:
        tables = {}
        for kind in TITLE_KINDS:
            affinity = OWNER_AFFINITY[kind]
            owners = [o for o in self.plan.owners if affinity.get(o.kind, 0) > 0]
            weights = [o.weight * affinity[o.kind] for o in owners]
            tables[kind] = (list(itertools.accumulate(weights)), owners)
        return tables

    def _owner(self, rng: random.Random, kind: str) -> OwnerSpec:
        cumulative, owners = self._owner_tables[kind]
        return owners[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]

    def title(self, index: int) -> TitleSpec:
        rng = random.Random(f"reelmarket-demo:{self.plan.seed}:title:{index}")
        kind = self.kinds[index % len(self.kinds)]
        seller = index % self.SELLER_EVERY == self.SELLER_EVERY - 1
        if seller:
            if kind not in ("feature", "animation_feature", "series", "animation_series"):
                kind = "animation_feature" if index % 60 == 59 else "feature"
            owner_slug, home = self.plan.seller_slug, "JP"
        else:
            owner = self._owner(rng, kind)
            owner_slug, home = owner.slug, owner.country
        country = COUNTRIES[home]
        original = _pick(rng, tuple((lang, float(w)) for lang, w in country.text_languages))

        story, genres = self._story(rng, kind, home)
        stage = "completed" if kind not in SCREEN_KINDS else _pick(rng, STAGES)
        new = rng.random() < 0.15
        values, runtime, episodes, episode_minutes = self._format(rng, kind)
        if stage == "completed":
            year = (
                rng.choice((2025, 2024))
                if new
                else rng.choice(
                    (2016, 2018, 2019, 2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025)
                )
            )
            stage_frame = None
        else:
            year = None if stage == "development" else 2025 + rng.randint(1, 2)
            values["year"] = year or 2027
            stage_frame = "development" if stage in ("development", "financing") else "production"
        story = replace(story, stage_frame=stage_frame, values=values)

        languages = [original, "en"] if original != "en" else ["en"]
        candidates = tuple(p for p in EXTRA_LANGUAGES if p[0] not in languages)
        for _ in range(1 if rng.random() < 0.55 else 2):
            choice = _pick(rng, candidates)
            languages.append(choice)
            candidates = tuple(p for p in candidates if p[0] != choice)
        texts = tuple(compose(story, lang) for lang in languages)

        countries = [home]
        if rng.random() < 0.12:
            countries.append(rng.choice([c for c in COPRODUCERS if c != home]))
        spoken = [self._spoken(original, home)]
        if original == "en" and country.spoken != "en" and rng.random() < 0.5:
            spoken.insert(0, country.spoken)
        budget, currency, secured = self._budget(rng, kind, stage, country.currency)
        reference = f"DEMO-{index + 1:07d}"
        screen_done = kind in SCREEN_KINDS and stage in ("completed", "post_production")
        trailer = ""
        if (screen_done or kind.startswith("format")) and rng.random() < 0.75:
            trailer = f"https://example.com/trailers/{reference.lower()}"
        screener = ""
        if kind in SCREEN_KINDS and stage == "completed" and rng.random() < 0.55:
            screener = f"https://example.com/screeners/{reference.lower()}"
        # Rights run from 2024/25 for finished titles, from delivery for unfinished ones.
        first_year = 2024 + rng.randint(0, 1) if stage == "completed" else values["year"]
        windows = plan_windows(
            rng=rng,
            kind=kind,
            home=home,
            first_year=first_year,
            pre_sale=stage != "completed",
            buyers_by_country=self.plan.buyers_by_country,
            seller_template=seller,
        )
        return TitleSpec(
            index=index,
            owner=owner_slug,
            reference=reference,
            kind=kind,
            story_genre=story.genre,
            original_title=next(t.name for t in texts if t.language == original),
            original_language=original,
            year=year,
            runtime_minutes=runtime,
            episodes=episodes,
            episode_minutes=episode_minutes,
            stage=stage,
            budget_amount=budget,
            budget_currency=currency,
            financing_secured=secured,
            trailer_url=trailer,
            screener_url=screener,
            new_this_market=new,
            genres=genres,
            countries=tuple(countries),
            languages=tuple(dict.fromkeys(spoken)),
            texts=texts,
            credits=self._credits(rng, kind, stage, home),
            recognitions=self._recognitions(rng, kind, stage, year),
            windows=tuple(windows),
        )

    @staticmethod
    def _spoken(original: str, home: str) -> str:
        if original == "zh-Hant":
            return "yue" if home in ("HK", "MO") else "zh"
        return SPOKEN[original]

    def _story(self, rng: random.Random, kind: str, home: str) -> tuple[Story, tuple[str, ...]]:
        animated = kind.startswith("animation")
        weights = STORY_WEIGHTS["animation" if animated else kind]
        genre = _pick(rng, tuple((g, float(w)) for g, w in weights))
        bank = BANKS[genre]
        second = None
        if genre in COMPATIBLE and rng.random() < 0.5:
            second = rng.choice(COMPATIBLE[genre])
        genres = ("animation",) if animated else ()
        genres += (genre, second) if second else (genre,)
        short = kind == "short"
        turn_count = 1 if short or second else 2
        cities = COUNTRIES[home].story_cities
        story = Story(
            genre=genre,
            hero=rng.randrange(len(bank.heroes)),
            setup=rng.randrange(len(bank.setups)),
            turns=tuple(sorted(rng.sample(range(len(bank.turns)), turn_count))),
            hook=None if short else rng.randrange(len(bank.hooks)),
            setting=rng.choice(GENRE_SETTINGS[genre]),
            city=rng.choice(cities),
            title=rng.randrange(len(bank.titles)),
            with_city=rng.random() < 0.6,
            second_genre=second,
            second_turn=rng.randrange(len(BANKS[second].turns)) if second else 0,
            frame=kind,
        )
        return story, genres

    @staticmethod
    def _format(
        rng: random.Random, kind: str
    ) -> tuple[dict[str, int], int | None, int | None, int | None]:
        values: dict[str, int] = {}
        runtime = episodes = minutes = None
        if kind in ("feature", "animation_feature", "documentary", "short"):
            low, high = {
                "feature": (85, 140),
                "animation_feature": (78, 110),
                "documentary": (70, 110),
                "short": (8, 25),
            }[kind]
            runtime = rng.randint(low, high)
            values["minutes"] = runtime
        elif kind in ("series", "animation_series", "format_unscripted", "format_scripted"):
            episodes = rng.choice(
                {
                    "series": (6, 8, 10, 12, 16, 20, 24, 30),
                    "animation_series": (12, 13, 26, 52),
                    "format_unscripted": (8, 10, 12),
                    "format_scripted": (10, 12, 16, 20, 40),
                }[kind]
            )
            minutes = rng.choice(
                {
                    "series": (45, 50, 60, 70),
                    "animation_series": (7, 11, 22, 24),
                    "format_unscripted": (45, 60, 90),
                    "format_scripted": (45, 60),
                }[kind]
            )
            values.update(episodes=episodes, minutes=minutes, countries=rng.randint(2, 14))
        else:
            values["millions"] = rng.randint(1, 9)
        return values, runtime, episodes, minutes

    @staticmethod
    def _budget(
        rng: random.Random, kind: str, stage: str, local: str
    ) -> tuple[Decimal | None, str, Decimal | None]:
        if stage == "completed" or kind not in BUDGETS:
            return None, "USD", None
        low, high = BUDGETS[kind]
        usd = low * (high / low) ** rng.random()
        currency = local if local in FX and rng.random() < 0.4 else "USD"
        amount = round(usd * FX.get(currency, 1), -3)
        share = {
            "development": (0.05, 0.4),
            "financing": (0.2, 0.7),
            "pre_production": (0.5, 0.9),
            "production": (0.7, 1.0),
            "post_production": (0.85, 1.0),
        }[stage]
        secured = round(amount * rng.uniform(*share), -3)
        return Decimal(int(amount)), currency, Decimal(int(min(secured, amount)))

    @staticmethod
    def _credits(rng: random.Random, kind: str, stage: str, home: str) -> tuple[CreditSpec, ...]:
        culture = COUNTRIES[home].culture
        given, family = NAMES[culture]

        def name() -> str:
            return full_name(culture, rng.choice(given), rng.choice(family))

        plan = {
            "feature": (
                ("director", 1),
                ("writer", 1),
                ("producer", 2),
                ("cast", 4),
                ("composer", 1),
                ("cinematographer", 1),
                ("editor", 1),
            ),
            "short": (("director", 1), ("writer", 1), ("producer", 1), ("cast", 2)),
            "series": (
                ("showrunner", 1),
                ("director", 2),
                ("writer", 2),
                ("producer", 1),
                ("cast", 4),
            ),
            "animation_feature": (
                ("director", 1),
                ("animation_director", 1),
                ("writer", 1),
                ("producer", 1),
                ("cast", 3),
                ("composer", 1),
            ),
            "animation_series": (
                ("director", 1),
                ("animation_director", 1),
                ("writer", 1),
                ("producer", 1),
                ("cast", 2),
            ),
            "documentary": (
                ("director", 1),
                ("producer", 1),
                ("cinematographer", 1),
                ("editor", 1),
                ("composer", 1),
            ),
            "format_unscripted": (("producer", 2), ("showrunner", 1)),
            "format_scripted": (("writer", 2), ("director", 1), ("producer", 1), ("cast", 2)),
            "book": (("author", 1),),
            "comic": (("author", 2),),
            "game": (("producer", 1), ("writer", 1)),
        }[kind]
        credits = []
        for role, most in plan:
            count = (
                rng.randint(1, most)
                if role in ("director", "author", "producer")
                else rng.randint(0, most)
            )
            if role == "cast" and stage in ("development", "financing"):
                count = min(count, 1)
            credits += [CreditSpec(role=role, name=name()) for _ in range(count)]
        return tuple(credits)

    @staticmethod
    def _recognitions(
        rng: random.Random, kind: str, stage: str, year: int | None
    ) -> tuple[RecognitionSpec, ...]:
        if stage != "completed" or kind not in SCREEN_KINDS or year is None:
            return ()
        if rng.random() >= (0.15 if kind == "feature" else 0.1):
            return ()
        festivals = [f for f in FESTIVALS if kind in f[1]]
        chosen = rng.sample(festivals, min(len(festivals), rng.randint(1, 2)))
        recognitions = []
        for festival, _kinds, sections, awards in chosen:
            what = _pick(rng, (("selection", 60), ("nomination", 20), ("award", 20)))
            award = rng.choice(sections if what == "selection" else awards)
            recognitions.append(
                RecognitionSpec(
                    festival=festival,
                    year=min(year + rng.randint(0, 1), 2025),
                    kind=what,
                    award=award,
                )
            )
        return tuple(recognitions)


def iter_titles(
    plan: MarketPlan, *, start: int = 0, stop: int | None = None
) -> Iterator[TitleSpec]:
    """Titles ``start`` .. ``stop - 1`` (default: the plan's scale)."""
    catalogue = Catalogue(plan)
    stop = plan.scale.titles if stop is None else stop
    for index in range(start, stop):
        yield catalogue.title(index)


__all__ = [
    "LANGUAGES",
    "Catalogue",
    "CreditSpec",
    "RecognitionSpec",
    "TitleSpec",
    "iter_titles",
    "kind_sequence",
]
