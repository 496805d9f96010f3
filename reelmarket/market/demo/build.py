"""Build the demo market: the service behind ``reelmarket demo``.

``demo_build`` plans the market from the seed, writes it (``writer.py``) and returns the
logins to print. On a database that already holds the same demo it only resets the
printed logins' password; with ``reset=True`` it first removes the demo (``reset.py``:
only the rows the demo created, recognised by the markers in ``markers.py``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection

from reelmarket.catalogue.models import Title
from reelmarket.market.demo.connect import write_demo_connect
from reelmarket.market.demo.financing import write_financing
from reelmarket.market.demo.markers import (
    Progress,
    Silent,
    demo_organisations,
    demo_users_q,
)
from reelmarket.market.demo.meetings import write_meetings
from reelmarket.market.demo.personas import personas_set_password
from reelmarket.market.demo.pitching import write_pitching
from reelmarket.market.demo.plan import (
    ORG_PREFIX,
    PORTAL_URL,
    DemoError,
    DemoScale,
    MarketPlan,
    plan_market,
)
from reelmarket.market.demo.reset import demo_reset
from reelmarket.market.demo.tastes import write_demo_behaviour
from reelmarket.market.demo.titles import Catalogue
from reelmarket.market.demo.writer import write_catalogue, write_market
from reelmarket.market.models import Edition

DEFAULT_SEED = 2025
DEFAULT_BATCH = 2000


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    name: str
    detail: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    password: str
    url: str
    logins: tuple[Login, ...]
    counts: dict[str, int]
    seconds: float


# --------------------------------------------------------------------------------------
# Build


def demo_build(
    *,
    seed: int = DEFAULT_SEED,
    scale: DemoScale | None = None,
    password: str | None = None,
    reset: bool = False,
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> DemoResult:
    """Build the demo market (or, if it is already there, only reset the printed logins).

    Raises :class:`DemoError` with a message for the user when the database holds a demo
    built with other settings, or an edition in the way that the demo did not create.
    """
    started = time.monotonic()
    progress = progress or Silent()
    scale = scale or DemoScale()
    if password is not None and not password.strip():
        raise DemoError("The password cannot be empty.")
    password = password or secrets.token_urlsafe(9)
    if batch_size < 1:
        raise DemoError("The batch size must be at least 1.")
    plan = plan_market(seed=seed, scale=scale)
    if Title._meta.db_table not in connection.introspection.table_names():
        raise DemoError("The database has no tables yet: run `reelmarket migrate` first.")

    if reset:
        demo_reset(progress=progress)
    elif demo_organisations().exists():
        _check_same_demo(plan)
        _set_passwords(plan, password)
        return DemoResult(
            created=False,
            password=password,
            url=PORTAL_URL,
            logins=_logins(plan) + _persona_logins(password),
            counts=plan_counts(plan),
            seconds=time.monotonic() - started,
        )

    edition_slug = plan.edition["slug"]
    if Edition.objects.filter(slug=edition_slug).exists():
        raise DemoError(
            f"An edition with the slug “{edition_slug}” already exists and was not made by "
            "the demo; the demo leaves it alone. Build the demo in an empty database "
            "(for example REELMARKET_VAR_DIR=/tmp/demo-var reelmarket migrate, then demo)."
        )

    write_market(plan, password, progress)
    write_catalogue(plan, progress, batch_size)
    write_meetings(plan, progress=progress)
    write_financing(plan, progress=progress)
    write_demo_connect(  # after the market (approvals) and financing (projects, profiles)
        Edition.objects.get(slug=plan.edition["slug"]), seed=plan.seed, progress=progress
    )
    write_pitching(plan, progress=progress)  # after the financing demo: reuses its projects
    write_demo_behaviour(plan, progress=progress)  # last season's views and saves (tastes.py)
    return DemoResult(
        created=True,
        password=password,
        url=PORTAL_URL,
        logins=_logins(plan) + _persona_logins(password),
        counts=plan_counts(plan),
        seconds=time.monotonic() - started,
    )


def plan_counts(plan: MarketPlan) -> dict[str, int]:
    """The figures of a plan (no database): what the demo has once built."""
    org_country = {o.slug: o.country for o in plan.organisations}
    country_pavilions = [p for p in plan.pavilions if p.kind == "country"]
    return {
        "exhibitors": len(plan.exhibitors),
        "exhibitor_countries": len({org_country[e.organisation] for e in plan.exhibitors}),
        "pavilions": len(country_pavilions),
        "pavilion_countries": len({p.country for p in country_pavilions}),
        "hubs": len(plan.pavilions) - len(country_pavilions),
        "organisations": len(plan.organisations),
        "participants": len(plan.people),
        "participant_countries": len({p.country for p in plan.people}),
        "titles": plan.scale.titles,
    }


def _check_same_demo(plan: MarketPlan) -> None:
    slugs = set(demo_organisations().values_list("slug", flat=True))
    users = get_user_model().objects.filter(demo_users_q()).count()
    titles = Title.objects.filter(owner__slug__startswith=ORG_PREFIX).count()
    wanted = {o.slug for o in plan.organisations}
    if slugs == wanted and users == len(plan.people) and titles == plan.scale.titles:
        return
    raise DemoError(
        f"The database holds a demo built with other settings, or a build that stopped "
        f"half-way ({len(slugs)} demo organisations, {users} demo accounts, {titles} demo "
        f"titles; these settings make {len(wanted)}, {len(plan.people)} and "
        f"{plan.scale.titles}). Run `reelmarket demo --reset` with the settings you want: "
        "it removes the demo rows (only those) and builds again."
    )


def _set_passwords(plan: MarketPlan, password: str) -> None:
    user_model = get_user_model()
    for person in plan.logins():
        user = user_model.objects.filter(username=person.email).first()
        if user is None:
            raise DemoError(
                f"The demo account {person.email} is missing; run `reelmarket demo --reset`."
            )
        user.set_password(password)
        user.save(update_fields=["password"])


def _persona_logins(password: str) -> tuple[Login, ...]:
    """The producer, foundation, applicant and juror stand-ins (``personas.py``)."""
    return tuple(
        Login(
            role=persona.role,
            email=persona.participant.user.username,
            name=persona.participant.display_name,
            detail=persona.detail,
        )
        for persona in personas_set_password(password=password)
    )


def _logins(plan: MarketPlan) -> tuple[Login, ...]:
    orgs = {o.slug: o for o in plan.organisations}
    booth = {e.organisation: e.booth for e in plan.exhibitors}
    titles = sum(
        1
        for i in range(plan.scale.titles)
        if i % Catalogue.SELLER_EVERY == Catalogue.SELLER_EVERY - 1
    )
    logins = []
    for person in plan.logins():
        org = orgs[person.organisation] if person.organisation else None
        where = org.name if org else ""
        if person.login == "organiser":
            detail = f"{where}; organiser and superuser (back office at /admin/)"
        elif person.login == "exhibitor":
            detail = f"{where}, {org.city}; booth {booth.get(org.slug)}; {titles:,} titles"
        else:
            detail = (
                f"{where} (streaming platform, {org.city}); attends {person.attendance}"
                f", {person.time_zone}"
            )
        logins.append(
            Login(role=person.login, email=person.email, name=person.display_name, detail=detail)
        )
    return tuple(logins)
