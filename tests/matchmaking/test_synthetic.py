"""The synthetic world: seeded, hidden tastes kept apart, and the bar on a small world."""

from __future__ import annotations

import dataclasses

import numpy as np

from reelmarket.matchmaking.core import FinancierMatcher, TitleMatcher
from reelmarket.matchmaking.core.calibrate import fit_financier_weights, fit_title_weights
from reelmarket.matchmaking.evaluation import evaluate_scorers, popularity_scorer, temporal_split
from reelmarket.matchmaking.synthetic import generate_world


def small(seed: int = 0):
    return generate_world(buyers=500, titles=300, investors=1_500, projects=600, seed=seed)


def test_the_world_is_seeded():
    a, b = small(3), small(3)
    assert a.buyer_log == b.buyer_log
    assert a.buyers == b.buyers
    assert [t.id for t in a.titles] == [t.id for t in b.titles]
    assert a.buyer_log != small(4).buyer_log


def test_sizes_actions_and_stated_profiles_are_partial():
    world = small()
    assert len(world.titles) == 300 and len(world.buyers) == 500
    assert len(world.projects) == 600 and len(world.investors) == 1_500
    assert {r.action for r in world.buyer_log} == {"view", "save", "request", "deal"}
    assert {r.who for r in world.buyer_log} <= {b.id for b in world.buyers}
    # the recommender's inputs carry no hidden field
    assert {f.name for f in dataclasses.fields(world.buyers[0])} == {
        "id", "kinds", "genres", "languages", "rights", "budget_tiers", "interests",
    }  # fmt: skip
    hidden = world.hidden["buyer_genre_weights"] > 0
    stated = np.zeros_like(hidden)
    names = {
        g: n
        for n, g in enumerate(
            __import__("reelmarket.matchmaking.synthetic", fromlist=["GENRES"]).GENRES
        )
    }
    for b, profile in enumerate(world.buyers):
        for g in profile.genres:
            stated[b, names[g]] = True
    # partial: many hidden genres unstated; noisy: some stated genres are not hidden ones
    assert (hidden & ~stated).sum() > 0.2 * hidden.sum()
    assert (stated & ~hidden).sum() > 0


def test_ours_calibrated_on_training_rows_beats_twice_popularity():
    world = small()
    train, test = temporal_split(world.buyer_log)
    profile_w, history_w, _ = fit_title_weights(
        titles=world.titles, buyers=world.buyers, interactions=train
    )
    matcher = TitleMatcher(
        titles=world.titles,
        buyers=world.buyers,
        interactions=train,
        profile_weights=profile_w,
        history_weights=history_w,
    )
    items = np.asarray([t.id for t in world.titles])
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        scorers={
            "ours": lambda users: matcher.score_matrix(buyers=users),
            "pop": popularity_scorer(train, items),
        },
    )
    assert results["ours"].ndcg >= 2 * results["pop"].ndcg
    train, test = temporal_split(world.investor_log)
    scale, history_w, _ = fit_financier_weights(
        projects=world.projects, investors=world.investors, interactions=train
    )
    fin = FinancierMatcher(
        projects=world.projects,
        investors=world.investors,
        interactions=train,
        history_weights=history_w,
        relevance_scale=scale,
    )
    items = np.asarray([p.facts.id for p in world.projects])
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        scorers={
            "ours": lambda users: fin.score_matrix(investors=users),
            "pop": popularity_scorer(train, items),
        },
    )
    assert results["ours"].ndcg >= 2 * results["pop"].ndcg


def test_calibrated_weights_are_the_defaults_times_powers_of_two():
    from reelmarket.matchmaking.core import HistoryWeights
    from reelmarket.matchmaking.core.titles import ProfileWeights

    world = generate_world(buyers=300, titles=200, investors=10, projects=10, seed=2)
    profile_w, history_w, valid = fit_title_weights(
        titles=world.titles, buyers=world.buyers, interactions=world.buyer_log
    )
    assert 0.0 < valid <= 1.0
    pairs = [
        *zip(profile_w.__dict__.values(), ProfileWeights().__dict__.values(), strict=True),
        *zip(history_w.__dict__.values(), HistoryWeights().__dict__.values(), strict=True),
    ]
    for fitted, default in pairs:
        assert fitted / default in {0.25, 0.5, 1.0, 2.0, 4.0}


def test_a_large_world_is_drawn_sparsely_and_scores_like_a_dense_one(monkeypatch):
    from reelmarket.matchmaking import synthetic
    from reelmarket.matchmaking.core.items import one_hot, one_hot_shared, vocabulary_of

    monkeypatch.setattr(synthetic, "DENSE_TITLES", 100)
    monkeypatch.setattr(synthetic, "AVAIL_PACKAGES", 7)
    monkeypatch.setattr(synthetic, "SPARSE_CHUNK", 50)
    monkeypatch.setattr(synthetic, "SPARSE_SAMPLE", 40)
    world = synthetic.generate_world(buyers=120, titles=400, investors=5, projects=5, seed=1)
    assert "buyer_utility" not in world.hidden  # no buyers × titles matrix
    # rights come in at most 7 shared packages, and equal sets are one object
    assert len({id(t.available) for t in world.titles}) <= 7
    assert len({id(t.genres) for t in world.titles}) == len({t.genres for t in world.titles})
    # each chunk of 50 buyers acted only on its own sample of 40 titles
    for chunk in range(3):
        touched = {r.item for r in world.buyer_log if chunk * 50 < r.who <= (chunk + 1) * 50}
        assert 0 < len(touched) <= 40
    # encoding the shared sets once gives the same matrix as encoding every row
    rows = [t.available for t in world.titles]
    pairs = vocabulary_of([[f"{a}|{b}" for a, b in r] for r in rows])
    encode = lambda r: [f"{a}|{b}" for a, b in r]  # noqa: E731
    expected = one_hot([encode(r) for r in rows], pairs)
    assert np.array_equal(one_hot_shared(rows, pairs, encode), expected)
    matcher = TitleMatcher(titles=world.titles, buyers=world.buyers, interactions=world.buyer_log)
    top = matcher.recompute(k=5)
    assert len(top) == 120 and all(len(v) == 5 for v in top.values())
