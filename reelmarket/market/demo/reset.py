"""Remove the demo (only what it created), and fingerprint what is in the database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from reelmarket.catalogue.inputs import TITLE_SCALAR_FIELDS
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
from reelmarket.market.demo.markers import (
    Progress,
    Silent,
    demo_edition,
    demo_organisations,
    demo_users_q,
)
from reelmarket.market.demo.plan import ORG_PREFIX, DemoError
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

_DELETE_CHUNK = 5000


def demo_reset(*, progress: Progress | None = None) -> dict[str, int]:
    """Delete what the demo created — demo organisations, their titles, demo accounts and
    the demo edition — and nothing else. Returns how many of each were deleted."""
    progress = progress or Silent()
    edition = demo_edition()
    if edition is not None:
        foreign_exhibitors = edition.exhibitors.exclude(
            organisation__slug__startswith=ORG_PREFIX
        ).count()
        foreign_registrations = edition.registrations.exclude(
            demo_users_q("participant__user__")
        ).count()
        if foreign_exhibitors or foreign_registrations:
            raise DemoError(
                f"The demo edition “{edition.name}” also holds {foreign_exhibitors} exhibitors "
                f"and {foreign_registrations} registrations that the demo did not create; "
                "--reset will not delete them. Move them to another edition first, or build "
                "the demo in an empty database."
            )
    user_model = get_user_model()
    users = user_model.objects.filter(demo_users_q())
    demo_titles = Title.objects.filter(owner__slug__startswith=ORG_PREFIX)
    deleted = {
        "titles": demo_titles.count(),
        "organisations": demo_organisations().count(),
        "accounts": users.count(),
        "editions": int(edition is not None),
    }
    progress.begin("Removing the demo", deleted["titles"] + deleted["accounts"] + 1)
    with transaction.atomic():
        from reelmarket.market.demo.tastes import remove_demo_behaviour

        remove_demo_behaviour()  # last season's views and saves, by subquery
        # The catalogue's own child rows first, by subquery (no rows loaded into Python).
        for child in _TITLE_CHILDREN:
            child.objects.filter(title__owner__slug__startswith=ORG_PREFIX).delete()
        if only_catalogue_points_at_titles():
            _delete_demo_titles_at_once()
            progress.advance(deleted["titles"])
        else:  # other apps' rows follow their on_delete rules through the ORM
            for chunk in _chunks(demo_titles):
                Title.objects.filter(pk__in=chunk).delete()
                progress.advance(len(chunk))
        if edition is not None:
            from reelmarket.market.demo.meetings import remove_demo_meetings

            remove_demo_meetings(edition=edition)  # meetings protect their booths
            from reelmarket.market.demo.pitching import remove_demo_pitching

            remove_demo_pitching(edition=edition)  # submissions protect their sections
            edition.delete()
        from reelmarket.market.demo.financing import remove_demo_financing

        remove_demo_financing()  # projects and investor profiles of demo people
        participants = Participant.objects.filter(demo_users_q("user__"))
        ParticipantRole.objects.filter(participant__in=participants).delete()
        Registration.objects.filter(participant__in=participants).delete()
        for chunk in _chunks(users):
            Participant.objects.filter(user_id__in=chunk).delete()
            user_model.objects.filter(pk__in=chunk).delete()
            progress.advance(len(chunk))
        demo_organisations().delete()
        progress.advance()
    progress.end()
    return deleted


_TITLE_CHILDREN = (
    TitleText,
    TitleGenre,
    TitleCountry,
    TitleLanguage,
    Credit,
    Recognition,
    RightsWindow,
)


def only_catalogue_points_at_titles() -> bool:
    """True when no model but the catalogue's own children refers to ``Title``."""
    return all(rel.related_model in _TITLE_CHILDREN for rel in Title._meta.related_objects)


def _delete_demo_titles_at_once() -> None:
    """One DELETE for all demo titles (their child rows are already gone)."""
    quote = connection.ops.quote_name
    title, org = Title._meta, Organisation._meta
    owner = quote(title.get_field("owner").column)
    sql = (
        f"DELETE FROM {quote(title.db_table)} WHERE {owner} IN "  # noqa: S608 - quoted names
        f"(SELECT {quote(org.pk.column)} FROM {quote(org.db_table)} "
        f"WHERE {quote(org.get_field('slug').column)} LIKE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ORG_PREFIX + "%"])


def _chunks(queryset: models.QuerySet) -> Iterable[list[int]]:
    """The queryset's primary keys in ascending chunks (keyset pagination: memory stays
    bounded however many rows there are)."""
    last = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:_DELETE_CHUNK]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


# --------------------------------------------------------------------------------------
# Digest of what is in the database (tests compare two builds with it)


def demo_digest() -> str:
    """SHA-256 over every demo row by natural keys (no ids, no timestamps, no passwords)."""
    digest = hashlib.sha256()

    def feed(label: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            digest.update(json.dumps([label, *row], default=str, ensure_ascii=False).encode())

    orgs = demo_organisations()
    titles = Title.objects.filter(owner__in=orgs)
    users = get_user_model().objects.filter(demo_users_q())
    edition = demo_edition()
    feed(
        "edition",
        Edition.objects.filter(pk=getattr(edition, "pk", None)).values_list(
            "name", "slug", "starts_on", "ends_on", "venue", "city", "time_zone", "is_current"
        ),
    )
    feed(
        "org",
        orgs.order_by("slug").values_list(
            "slug", "name", "kind", "country", "city", "description", "website"
        ),
    )
    feed("hall", Hall.objects.filter(edition=edition).order_by("code").values_list("code", "name"))
    feed(
        "booth",
        Booth.objects.filter(hall__edition=edition)
        .order_by("number")
        .values_list("hall__code", "number", "tables"),
    )
    feed(
        "pavilion",
        Pavilion.objects.filter(edition=edition)
        .order_by("slug")
        .values_list(
            "slug",
            "name",
            "kind",
            "country",
            "lead_agency__slug",
            "hall__code",
            "is_new",
            "description",
        ),
    )
    feed(
        "exhibitor",
        Exhibitor.objects.filter(edition=edition)
        .order_by("organisation__slug")
        .values_list("organisation__slug", "booth__number", "pavilion__slug"),
    )
    feed(
        "user",
        users.order_by("username").values_list(
            "username", "first_name", "last_name", "is_staff", "is_superuser"
        ),
    )
    feed(
        "participant",
        Participant.objects.filter(user__in=users)
        .order_by("user__username")
        .values_list(
            "user__username",
            "display_name",
            "organisation__slug",
            "job_title",
            "country",
            "time_zone",
            "languages",
            "bio",
            "content_kinds",
            "genres",
            "territories",
            "media",
            "budget_range",
            "profile_visibility",
            "contact_visibility",
            "interests_visibility",
        ),
    )
    feed(
        "role",
        ParticipantRole.objects.filter(participant__user__in=users)
        .order_by("participant__user__username", "role")
        .values_list("participant__user__username", "role"),
    )
    feed(
        "registration",
        Registration.objects.filter(participant__user__in=users)
        .order_by("participant__user__username")
        .values_list("participant__user__username", "attendance", "vetting"),
    )
    feed(
        "title",
        titles.order_by("reference").values_list(
            "reference",
            "owner__slug",
            *TITLE_SCALAR_FIELDS,
            "trailer_url",
            "screener_url",
            "new_this_market",
            "is_published",
        ),
    )
    for model, fields in (
        (TitleText, ("language", "name", "logline", "synopsis")),
        (TitleGenre, ("genre",)),
        (TitleCountry, ("country",)),
        (TitleLanguage, ("language",)),
        (Credit, ("position", "role", "name")),
        (Recognition, ("festival", "year", "kind", "award")),
        (
            RightsWindow,
            (
                "media",
                "starts_on",
                "territories",
                "excluded",
                "ends_on",
                "exclusive",
                "status",
                "counterparty",
                "note",
            ),
        ),
    ):
        feed(
            model.__name__,
            model.objects.filter(title__in=titles)
            .order_by("title__reference", *fields)
            .values_list("title__reference", *fields),
        )
    return digest.hexdigest()
