"""Write a market plan and its catalogue to the database in bulk.

Rows are inserted in batches (``bulk_create``; child rows of titles by COPY on PostgreSQL
and ``executemany`` elsewhere), one transaction for the market and one per batch of
titles, so memory stays bounded at any catalogue size.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from reelmarket.catalogue.models import (
    Credit,
    Recognition,
    RightsWindow,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
    TitleText,
)
from reelmarket.market.demo.markers import Progress, demo_organisations
from reelmarket.market.demo.plan import MarketPlan, PersonSpec
from reelmarket.market.demo.titles import Catalogue, TitleSpec
from reelmarket.market.models import (
    Booth,
    Edition,
    Exhibitor,
    Hall,
    Organisation,
    Participant,
    ParticipantRole,
    Pavilion,
    Registration,
)


def _bulk(model: type[models.Model], objects: list[Any], progress: Progress) -> list[Any]:
    created = model.objects.bulk_create(objects, batch_size=500)
    progress.advance(len(objects))
    return created


def write_market(plan: MarketPlan, password: str, progress: Progress) -> None:
    steps = len(plan.organisations) + len(plan.booths) + len(plan.exhibitors) + 4 * len(plan.people)
    progress.begin("Market", steps)
    with transaction.atomic():
        edition_values = dict(plan.edition)
        edition_values["starts_on"] = date(*edition_values["starts_on"])
        edition_values["ends_on"] = date(*edition_values["ends_on"])
        edition_values["is_current"] = not Edition.objects.filter(is_current=True).exists()
        edition = Edition.objects.create(**edition_values)

        org_ids = {
            o.slug: o.pk
            for o in _bulk(
                Organisation,
                [
                    Organisation(
                        slug=o.slug,
                        name=o.name,
                        kind=o.kind,
                        country=o.country,
                        city=o.city,
                        description=o.description,
                        website=o.website,
                    )
                    for o in plan.organisations
                ],
                progress,
            )
        }
        hall_ids = {
            h.code: h.pk
            for h in Hall.objects.bulk_create(
                [Hall(edition=edition, code=code, name=name) for code, name in plan.halls]
            )
        }
        booth_ids = {
            b.number: b.pk
            for b in _bulk(
                Booth,
                [
                    Booth(hall_id=hall_ids[b.hall], number=b.number, tables=b.tables)
                    for b in plan.booths
                ],
                progress,
            )
        }
        pavilion_ids = {
            p.slug: p.pk
            for p in Pavilion.objects.bulk_create(
                [
                    Pavilion(
                        edition=edition,
                        name=p.name,
                        slug=p.slug,
                        kind=p.kind,
                        country=p.country,
                        lead_agency_id=org_ids[p.agency],
                        hall_id=hall_ids[p.hall],
                        is_new=p.is_new,
                        description=p.description,
                    )
                    for p in plan.pavilions
                ]
            )
        }
        _bulk(
            Exhibitor,
            [
                Exhibitor(
                    edition=edition,
                    organisation_id=org_ids[e.organisation],
                    booth_id=booth_ids[e.booth],
                    pavilion_id=pavilion_ids[e.pavilion] if e.pavilion else None,
                )
                for e in plan.exhibitors
            ],
            progress,
        )
        _write_people(plan.people, edition, org_ids, password, progress)
    progress.end()


def _write_people(
    people: Sequence[PersonSpec],
    edition: Edition,
    org_ids: dict[str, int],
    password: str,
    progress: Progress,
) -> None:
    user_model = get_user_model()
    users = []
    for person in people:
        staff = person.login == "organiser"
        user = user_model(
            username=person.email,
            email=person.email,
            first_name=person.first_name[:150],
            last_name=person.last_name[:150],
            is_staff=staff,
            is_superuser=staff,
        )
        if person.login:
            user.set_password(password)
        else:
            user.set_unusable_password()  # hashing 7,500 passwords would take minutes
        users.append(user)
    users = _bulk(user_model, users, progress)
    participants = _bulk(
        Participant,
        [
            Participant(
                user_id=user.pk,
                display_name=p.display_name,
                organisation_id=org_ids[p.organisation] if p.organisation else None,
                # the demo's staff are who they say they are: confirmed for their company
                organisation_confirmed=bool(p.organisation),
                job_title=p.job_title,
                country=p.country,
                time_zone=p.time_zone,
                languages=list(p.languages),
                bio=p.bio,
                content_kinds=list(p.content_kinds),
                genres=list(p.genres),
                territories=list(p.territories),
                media=list(p.media),
                budget_range=p.budget_range,
                profile_visibility=p.profile_visibility,
                contact_visibility=p.contact_visibility,
                interests_visibility=p.interests_visibility,
            )
            for user, p in zip(users, people, strict=True)
        ],
        progress,
    )
    roles = [
        ParticipantRole(participant_id=participant.pk, role=role)
        for participant, p in zip(participants, people, strict=True)
        for role in p.roles
    ]
    ParticipantRole.objects.bulk_create(roles, batch_size=1000)
    progress.advance(len(people))
    _bulk(
        Registration,
        [
            Registration(
                edition=edition,
                participant_id=participant.pk,
                attendance=p.attendance,
                vetting=p.vetting,
            )
            for participant, p in zip(participants, people, strict=True)
        ],
        progress,
    )


class _Rows:
    """Fast inserts of child rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        # Table and column names come from model metadata, quoted; values are parameters.
        self.insert = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"  # noqa: S608

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert, rows)


def write_catalogue(plan: MarketPlan, progress: Progress, batch_size: int) -> None:
    total = plan.scale.titles
    progress.begin("Catalogue", total)
    owner_ids = dict(demo_organisations().values_list("slug", "pk"))
    catalogue = Catalogue(plan)
    writers = {
        "texts": _Rows(TitleText, ("title", "language", "name", "logline", "synopsis")),
        "genres": _Rows(TitleGenre, ("title", "genre")),
        "countries": _Rows(TitleCountry, ("title", "country")),
        "languages": _Rows(TitleLanguage, ("title", "language")),
        "credits": _Rows(Credit, ("title", "role", "name", "position")),
        "recognitions": _Rows(Recognition, ("title", "festival", "year", "kind", "award")),
        "windows": _Rows(
            RightsWindow,
            (
                "title",
                "media",
                "territories",
                "excluded",
                "starts_on",
                "ends_on",
                "exclusive",
                "status",
                "counterparty",
                "note",
                "updated_at",
            ),
        ),
    }
    ops = connection.ops
    for start in range(0, total, batch_size):
        specs = [catalogue.title(i) for i in range(start, min(start + batch_size, total))]
        now = ops.adapt_datetimefield_value(timezone.now())
        with transaction.atomic():
            titles = Title.objects.bulk_create(
                [_title_row(spec, owner_ids[spec.owner]) for spec in specs], batch_size=500
            )
            rows: dict[str, list[tuple]] = {key: [] for key in writers}
            for title, spec in zip(titles, specs, strict=True):
                pk = title.pk
                rows["texts"] += [
                    (pk, t.language, t.name[:300], t.logline[:500], t.synopsis) for t in spec.texts
                ]
                rows["genres"] += [(pk, g) for g in spec.genres]
                rows["countries"] += [(pk, c) for c in spec.countries]
                rows["languages"] += [(pk, lang) for lang in spec.languages]
                rows["credits"] += [(pk, c.role, c.name, i) for i, c in enumerate(spec.credits)]
                rows["recognitions"] += [
                    (pk, r.festival, r.year, r.kind, r.award) for r in spec.recognitions
                ]
                rows["windows"] += [
                    (
                        pk,
                        w.media,
                        json.dumps(list(w.territories)),
                        json.dumps(list(w.excluded)),
                        ops.adapt_datefield_value(w.starts_on),
                        ops.adapt_datefield_value(w.ends_on),
                        w.exclusive,
                        w.status,
                        w.counterparty,
                        w.note,
                        now,
                    )
                    for w in spec.windows
                ]
            for key, writer in writers.items():
                writer.write(rows[key])
        progress.advance(len(specs))
    progress.end()


def _title_row(spec: TitleSpec, owner_id: int) -> Title:
    return Title(
        owner_id=owner_id,
        reference=spec.reference,
        kind=spec.kind,
        original_title=spec.original_title[:300],
        original_language=spec.original_language,
        year=spec.year,
        runtime_minutes=spec.runtime_minutes,
        episodes=spec.episodes,
        episode_minutes=spec.episode_minutes,
        stage=spec.stage,
        budget_amount=spec.budget_amount,
        budget_currency=spec.budget_currency,
        financing_secured=spec.financing_secured,
        trailer_url=spec.trailer_url,
        screener_url=spec.screener_url,
        new_this_market=spec.new_this_market,
        is_published=True,
    )
