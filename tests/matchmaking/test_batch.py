"""The batch (``services.recompute_all`` through ``scoring_batch``) stores exactly what each
viewer gets when recomputed alone (``services.recompute_for``, the one-profile path): same
targets, ranks, scores, reasons and titles — on the hand-built market and on a small demo
market with "no thanks", "not interested" and "more like this" from both sides."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from reelmarket.market.demo.build import demo_build
from reelmarket.market.demo.plan import DemoScale
from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from reelmarket.matchmaking import scoring_adapter, selectors, services
from reelmarket.matchmaking.enums import TargetKind, Verdict
from reelmarket.matchmaking.models import Suggestion
from tests.matchmaking.web_world import MatchWorld, fresh_world

T = TargetKind


def stored(viewer_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {v: [] for v in viewer_ids}
    rows = Suggestion.objects.filter(viewer_id__in=viewer_ids).order_by("viewer", "kind", "rank")
    for s in rows:
        out[s.viewer_id].append(
            (s.kind, s.key, s.rank, s.score, s.reasons, s.title_ids, s.title_id, s.person_id)
        )
    return out


def one_by_one(viewer_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    scoring_adapter.world_reset()
    for pk in viewer_ids:
        services.recompute_for(participant=Participant.objects.get(pk=pk))
    return stored(viewer_ids)


@pytest.fixture
def world(db) -> Iterator[MatchWorld]:
    yield from fresh_world()


def test_the_batch_equals_each_viewer_alone_on_the_hand_built_market(world: MatchWorld):
    services.feedback_give(
        actor=world.linh.user, kind=T.TITLE, verdict=Verdict.NOT_INTERESTED, title=world.school
    )
    services.feedback_give(
        actor=world.sofia.user, kind=T.TITLE, verdict=Verdict.MORE_LIKE_THIS, title=world.ferry
    )
    viewers = selectors.viewer_ids()
    run = services.recompute_all()
    batch = stored(viewers)
    assert run.suggestions == sum(len(v) for v in batch.values()) > 0
    assert {k for rows in batch.values() for k, *_ in rows} == {
        T.TITLE,
        T.BUYER,
        T.MEETING,
        T.PROJECT,
        T.FINANCIER,
    }
    assert one_by_one(viewers) == batch


@pytest.fixture
def small_market(db) -> Iterator[None]:
    scoring_adapter.world_reset()
    demo_build(seed=7, scale=DemoScale(exhibitors=30, participants=260, titles=150), password="x")
    yield
    scoring_adapter.world_reset()


def test_the_batch_equals_each_viewer_alone_on_a_small_demo_market(small_market):
    rng = random.Random(3)
    buyers = list(Participant.objects.filter(roles__role=Role.BUYER).order_by("pk"))
    sellers = list(
        Participant.objects.filter(roles__role=Role.SELLER, organisation_confirmed=True)
        .exclude(organisation=None)
        .order_by("pk")
    )
    assert len(buyers) >= 20 and len(sellers) >= 20
    services.recompute_all()
    # Both sides answer: buyers on titles and sellers, sellers on buyers.
    for buyer in rng.sample(buyers, 8):
        for row in Suggestion.objects.filter(viewer=buyer, kind=T.TITLE).order_by("rank")[:2]:
            verdict = rng.choice([Verdict.NOT_INTERESTED, Verdict.MORE_LIKE_THIS])
            services.feedback_give(
                actor=buyer.user, kind=T.TITLE, verdict=verdict, title=row.title, recompute=False
            )
        meeting = Suggestion.objects.filter(viewer=buyer, kind=T.MEETING).first()
        if meeting is not None:
            services.feedback_give(
                actor=buyer.user,
                kind=T.MEETING,
                verdict=Verdict.NO_THANKS,
                person=meeting.person,
                recompute=False,
            )
    for seller in rng.sample(sellers, 8):
        row = Suggestion.objects.filter(viewer=seller, kind=T.BUYER).first()
        if row is not None:
            services.feedback_give(
                actor=seller.user,
                kind=T.BUYER,
                verdict=Verdict.NO_THANKS,
                person=row.person,
                title=row.title,
                recompute=False,
            )
    viewers = selectors.viewer_ids()
    services.recompute_all()
    batch = stored(viewers)
    kinds = {k for rows in batch.values() for k, *_ in rows}
    assert {T.TITLE, T.BUYER, T.MEETING} <= kinds
    # every buyer and seller, and a sample of the rest, recomputed alone
    sample = sorted({b.pk for b in buyers} | {s.pk for s in sellers} | set(rng.sample(viewers, 20)))
    sample = [v for v in sample if v in set(viewers)]
    assert one_by_one(sample) == {v: batch[v] for v in sample}
