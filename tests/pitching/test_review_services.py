"""The jury review's services: assignment (k each, loads within ±1, never a conflict, kept
work), conflicts (automatic and declared), scoring with exact numbers, the lock and the
decisions taken from the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.pitching import selectors_review as selectors
from reelmarket.pitching import services_review as services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import (
    Conflict,
    ReviewAssignment,
    Reviewer,
    Score,
    SubmissionEvent,
)
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.financing.factories import ProjectFactory
from tests.pitching.factories import ReviewerFactory, SubmissionFactory
from tests.pitching.review_world import ReviewWorld, loads, pairs

S = SubmissionState

pytestmark = pytest.mark.django_db


def same_company_pairs(world: ReviewWorld) -> set[tuple[int, int]]:
    """(submission, reviewer) pairs whose producer works for the reviewer's company."""
    out = set()
    for s in world.submissions:
        for r in world.reviewers:
            if s.project.owner.organisation_id == r.participant.organisation_id:
                out.add((s.pk, r.pk))
    return out


# ---- assignment -----------------------------------------------------------------------------


def test_assignment_gives_k_reviewers_with_even_loads_and_no_conflict():
    world = ReviewWorld(k=2, submissions=8)
    outcome = world.assign()
    assert outcome.created == 16 and outcome.kept == 0 and outcome.removed == 0
    assert outcome.submissions == 8
    per_submission: dict[int, int] = {}
    for s, _r in pairs():
        per_submission[s] = per_submission.get(s, 0) + 1
    assert per_submission == {s.pk: 2 for s in world.submissions}
    assert sorted(loads(world).values()) == [4, 4, 4, 4]
    assert outcome.loads == loads(world)
    assert pairs().isdisjoint(same_company_pairs(world))


def test_same_organisation_is_a_conflict_without_declaring_it():
    world = ReviewWorld(k=3, submissions=4)
    world.assign()
    # Each submission has exactly 3 reviewers from other companies: all of them, and the
    # reviewer of the producer's company never.
    for i, s in enumerate(world.submissions):
        assigned = {r for sub, r in pairs() if sub == s.pk}
        assert assigned == {r.pk for j, r in enumerate(world.reviewers) if j != i % 4}


def test_applicant_company_project_company_and_team_member_are_conflicts():
    world = ReviewWorld(k=1, submissions=0)
    neutral = OrganisationFactory(name="Neutral Films")
    r0, r1, r2, r3 = world.reviewers
    # Submission organisation = reviewer 1's company; the project's company = reviewer 2's;
    # reviewer 3 is on the team; reviewer 0 is the only one left.
    project = ProjectFactory(
        owner=ParticipantFactory(organisation=neutral), organisation=world.companies[2]
    )
    project.team.create(name="Reviewer 3", role="Editor", participant=r3.participant)
    submission = SubmissionFactory(
        call=world.call,
        section=world.development,
        project=project,
        organisation=world.companies[1],
        state=S.SUBMITTED,
    )
    matrix = selectors.conflict_matrix(call=world.call)
    assert matrix == {
        (submission.pk, r1.pk): "same_organisation",
        (submission.pk, r2.pk): "same_organisation",
        (submission.pk, r3.pk): "own_project",
    }
    world.assign()
    assert pairs() == {(submission.pk, r0.pk)}


def test_a_declared_conflict_takes_the_review_away_and_is_never_assigned_again():
    world = ReviewWorld(k=2, submissions=4)
    world.assign()
    s0 = world.submissions[0]
    reviewer = next(r for r in world.reviewers if (s0.pk, r.pk) in pairs())
    outcome = services.conflict_declare(
        actor=reviewer.participant.user, reviewer=reviewer, submission=s0, note="my cousin"
    )
    assert outcome.removed == 1
    assert (s0.pk, reviewer.pk) not in pairs()
    assert Conflict.objects.get().note == "my cousin"
    again = world.assign()
    assert again.created == 1
    assert (s0.pk, reviewer.pk) not in pairs()
    assert len([1 for s, _r in pairs() if s == s0.pk]) == 2


def test_a_declared_company_conflict_covers_every_submission_of_that_company():
    world = ReviewWorld(k=1, submissions=8)
    r0 = world.reviewers[0]
    services.conflict_declare(actor=world.organiser, reviewer=r0, organisation=world.companies[1])
    world.assign()
    company_b = {
        s.pk for s in world.submissions if s.project.owner.organisation_id == world.companies[1].pk
    }
    assert len(company_b) == 2
    assert all((s, r0.pk) not in pairs() for s in company_b)


def test_a_reviewer_declares_only_for_themselves():
    world = ReviewWorld()
    with pytest.raises(PitchForbidden):
        services.conflict_declare(
            actor=world.reviewers[1].participant.user,
            reviewer=world.reviewers[0],
            submission=world.submissions[1],
        )
    with pytest.raises(PitchError) as exc:
        services.conflict_declare(actor=world.organiser, reviewer=world.reviewers[0])
    assert exc.value.code == "bad_conflict"
    assert not Conflict.objects.exists()


def test_running_again_after_new_submissions_only_adds_what_is_missing():
    world = ReviewWorld(k=2, submissions=4)
    world.assign()
    before = pairs()
    world.submissions += [world.submission(4), world.submission(5)]
    outcome = world.assign()
    assert outcome.created == 4 and outcome.kept == 8 and outcome.removed == 0
    assert before < pairs()
    assert sorted(loads(world).values()) == [3, 3, 3, 3]
    assert world.assign().created == 0  # nothing missing: nothing changes
    assert len(pairs()) == 12


def test_scored_assignments_are_kept_when_rebalancing():
    world = ReviewWorld(k=2, submissions=4)
    world.assign()
    started = ReviewAssignment.objects.order_by("pk").first()
    world.score(started, 5, 3, complete=False)
    late = ReviewerFactory(
        call=world.call, participant=ParticipantFactory(organisation=world.companies[4])
    )
    world.reviewers.append(late)
    outcome = world.assign(rebalance=True)
    assert ReviewAssignment.objects.filter(pk=started.pk).exists()
    assert outcome.kept == 1 and outcome.removed == 7 and outcome.created == 7
    assert sorted(loads(world).values()) in ([1, 2, 2, 2, 1], [1, 1, 2, 2, 2])
    assert max(loads(world).values()) - min(loads(world).values()) <= 1
    assert Score.objects.filter(assignment=started).count() == 2


def test_impossible_assignment_says_which_submissions_and_why_and_writes_nothing():
    world = ReviewWorld(k=4, submissions=2)
    with pytest.raises(services.AssignmentImpossible) as exc:
        world.assign()
    s0, s1 = world.submissions
    assert exc.value.code == "assignment_impossible"
    assert exc.value.message == "2 submissions cannot get 4 reviewers; nothing was assigned."
    assert exc.value.reasons == {
        s0.pk: "“Project 0” (In development): only 3 reviewers have no conflict of interest "
        "with it (4 needed)",
        s1.pk: "“Project 1” (Animation): only 3 reviewers have no conflict of interest "
        "with it (4 needed)",
    }
    assert not ReviewAssignment.objects.exists()


def test_capacities_that_cannot_cover_the_work_are_explained():
    world = ReviewWorld(k=1, submissions=4)
    for r in world.reviewers:
        Reviewer.objects.filter(pk=r.pk).update(capacity=None)
    Reviewer.objects.filter(pk__in=[r.pk for r in world.reviewers[1:]]).update(active=False)
    Reviewer.objects.filter(pk=world.reviewers[0].pk).update(capacity=2)
    with pytest.raises(services.AssignmentImpossible) as exc:
        world.assign()
    assert world.submissions[0].pk in exc.value.reasons
    assert not ReviewAssignment.objects.exists()


def test_assignment_needs_reviewers_an_organiser_and_an_open_ranking():
    world = ReviewWorld(k=1, submissions=1)
    Reviewer.objects.all().delete()
    with pytest.raises(services.AssignmentImpossible) as exc:
        world.assign()
    assert exc.value.message == "Add reviewers to HAF 2026 before assigning."
    with pytest.raises(PitchForbidden):
        services.review_assign(actor=world.outsider, call=world.call)
    services.ranking_lock(actor=world.organiser, call=world.call, locked=True)
    world.call.refresh_from_db()
    with pytest.raises(PitchError) as exc2:
        world.assign()
    assert exc2.value.code == "review_locked"


def test_only_submitted_and_shortlisted_submissions_get_reviewers():
    world = ReviewWorld(k=1, submissions=0)
    draft = world.submission(0, state=S.DRAFT)
    withdrawn = world.submission(1, state=S.WITHDRAWN)
    shortlisted = world.submission(2, state=S.SHORTLISTED)
    world.assign()
    assigned = {s for s, _r in pairs()}
    assert assigned == {shortlisted.pk}
    assert draft.pk not in assigned and withdrawn.pk not in assigned


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_reviewers=st.integers(min_value=3, max_value=7),
    owners=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=12),
    declared=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 11)), max_size=6),
    k=st.integers(min_value=1, max_value=3),
)
def test_property_no_conflict_is_ever_assigned_and_loads_are_even(n_reviewers, owners, declared, k):
    """Random companies (0..9; reviewers work for companies 0..n-1) and declared conflicts:
    whatever the outcome, no conflicting pair is written; when it succeeds, every
    submission has k reviewers and loads differ by at most one."""
    with transaction.atomic():
        world = ReviewWorld(k=k, submissions=0)
        companies = [OrganisationFactory() for _ in range(10)]
        Reviewer.objects.all().delete()
        reviewers = [
            ReviewerFactory(
                call=world.call, participant=ParticipantFactory(organisation=companies[i])
            )
            for i in range(n_reviewers)
        ]
        subs = [world.submission(i, company=companies[c]) for i, c in enumerate(owners)]
        for r, s in declared:
            if r < n_reviewers and s < len(subs):
                Conflict.objects.get_or_create(reviewer=reviewers[r], submission=subs[s])
        conflicts = set(selectors.conflict_matrix(call=world.call))
        try:
            world.assign()
        except services.AssignmentImpossible as exc:
            assert exc.reasons
            assert not ReviewAssignment.objects.exists()
        else:
            written = pairs()
            assert written.isdisjoint(conflicts)
            per = {s.pk: 0 for s in subs}
            per_reviewer = {r.pk: 0 for r in reviewers}
            for s, r in written:
                per[s] += 1
                per_reviewer[r] += 1
            assert set(per.values()) == {k}
            # Even loads: no review could move to an allowed reviewer with two fewer; with
            # no conflict at all, that means loads within ±1.
            for s, r in written:
                for other in reviewers:
                    if (s, other.pk) in written or (s, other.pk) in conflicts:
                        continue
                    assert per_reviewer[other.pk] > per_reviewer[r] - 2
            if not conflicts:
                assert max(per_reviewer.values()) - min(per_reviewer.values()) <= 1
        transaction.set_rollback(True)


# ---- scoring --------------------------------------------------------------------------------


def test_scores_exact_weighted_totals_raw_normalised_and_ranks():
    world = ReviewWorld(k=2, submissions=0)
    r0, r1, _r2, _r3 = world.reviewers
    dev = [
        world.submission(i, company=world.companies[4], section=world.development) for i in range(3)
    ]
    a = {}
    for s in dev:
        for r in (r0, r1):
            a[(s.pk, r.pk)] = ReviewAssignment.objects.create(submission=s, reviewer=r)
    # r0 is lenient, r1 harsh; both order the projects the same way: 0 > 1 > 2.
    world.score(a[(dev[0].pk, r0.pk)], 10, 5)  # 100
    world.score(a[(dev[1].pk, r0.pk)], 8, 4)  # (2*.8 + .8)/3 = 80
    world.score(a[(dev[2].pk, r0.pk)], 5, 5)  # (2*.5 + 1)/3 = 66.67
    world.score(a[(dev[0].pk, r1.pk)], 7, 4)  # (1.4 + .8)/3 = 73.33
    world.score(a[(dev[1].pk, r1.pk)], 5, 2)  # (1 + .4)/3 = 46.67
    world.score(a[(dev[2].pk, r1.pk)], 2, 1)  # (.4 + .2)/3 = 20
    ranking = selectors.ranking(call=world.call)
    table = next(t for t in ranking.sections if t.section == world.development)
    rows = {row.submission.pk: row for row in table.rows}
    assert [round(t.total, 4) for t in rows[dev[0].pk].totals] == [100.0, 73.3333]
    assert round(rows[dev[1].pk].raw, 4) == round((80 + 140 / 3) / 2, 4)
    assert round(rows[dev[2].pk].spread, 4) == round(200 / 3 - 20, 4)
    assert [rows[s.pk].rank for s in dev] == [1, 2, 3]
    assert [row.submission.pk for row in table.rows] == [s.pk for s in dev]
    assert all(row.reviews_done == 2 and row.reviews_expected == 2 for row in table.rows)
    # The normalised score: z-score per reviewer, mapped back to all reviews' mean and std.
    values = [100, 80, 200 / 3, 220 / 3, 140 / 3, 20]
    mu = sum(values) / 6
    sigma = (sum((v - mu) ** 2 for v in values) / 6) ** 0.5

    def z(v, own):
        m = sum(own) / 3
        sd = (sum((x - m) ** 2 for x in own) / 3) ** 0.5
        return mu + sigma * (v - m) / sd

    lenient, harsh = [100, 80, 200 / 3], [220 / 3, 140 / 3, 20]
    expected = (z(100, lenient) + z(220 / 3, harsh)) / 2
    assert rows[dev[0].pk].normalised == pytest.approx(expected, abs=1e-9)
    assert ranking.reviews == 6


def test_unreviewed_submissions_are_listed_unranked_and_drafts_do_not_count():
    world = ReviewWorld(k=2, submissions=2)
    s0, _s1 = world.submissions
    a = ReviewAssignment.objects.create(submission=s0, reviewer=world.reviewers[1])
    world.score(a, 6, 3, complete=False)  # a draft: not in the ranking
    ranking = selectors.ranking(call=world.call)
    dev = next(t for t in ranking.sections if t.section == world.development)
    assert [(r.submission.pk, r.rank, r.raw, r.reviews_done) for r in dev.rows] == [
        (s0.pk, None, None, 0)
    ]
    assert ranking.reviews == 0


def test_bad_scores_are_refused_with_a_message_per_criterion_and_nothing_is_written():
    world = ReviewWorld(k=1, submissions=1)
    a = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[1]
    )
    user = world.reviewers[1].participant.user
    cases = [
        ({world.story.pk: 11, world.team.pk: 3}, "Story: 11 is outside the scale 0 to 10."),
        ({world.story.pk: 5, world.team.pk: -1}, "Team: -1 is outside the scale 0 to 5."),
        ({world.story.pk: "seven", world.team.pk: 3}, "Story: enter a whole number from 0 to 10."),
        ({world.story.pk: 7.5, world.team.pk: 3}, "Story: enter a whole number from 0 to 10."),
        ({world.story.pk: True, world.team.pk: 3}, "Story: enter a whole number from 0 to 10."),
        ({999999: 3}, "There is no such criterion in this call's rubric."),
    ]
    for scores, message in cases:
        with pytest.raises(PitchError) as exc:
            services.review_save(actor=user, assignment=a, scores=scores, complete=False)
        assert exc.value.code == "bad_scores"
        assert exc.value.message == message
    assert not Score.objects.exists()
    with pytest.raises(PitchError) as exc:
        services.review_save(actor=user, assignment=a, scores={world.story.pk: 7}, complete=True)
    assert exc.value.fields == {
        f"score_{world.team.pk}": ["Team: a score is needed to complete the review."]
    }
    assert not Score.objects.exists()
    a.refresh_from_db()
    assert a.completed_at is None


def test_draft_complete_reopen_and_the_lock():
    world = ReviewWorld(k=1, submissions=1)
    a = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[1]
    )
    user = world.reviewers[1].participant.user
    services.review_save(actor=user, assignment=a, scores={world.story.pk: 4}, comment=" ok ")
    assert selectors.scores_of(assignment=a) == {world.story.pk: 4}
    services.review_save(
        actor=user, assignment=a, scores={world.story.pk: 9, world.team.pk: 2}, complete=True
    )
    a.refresh_from_db()
    assert a.completed_at is not None and a.comment == ""
    assert selectors.scores_of(assignment=a) == {world.story.pk: 9, world.team.pk: 2}
    with pytest.raises(PitchError) as exc:
        services.review_save(actor=user, assignment=a, scores={world.story.pk: 1})
    assert exc.value.code == "review_completed"
    services.review_reopen(actor=user, assignment=a)
    a.refresh_from_db()
    assert a.completed_at is None
    services.review_save(
        actor=user, assignment=a, scores={world.story.pk: 1, world.team.pk: 1}, complete=True
    )
    services.ranking_lock(actor=world.organiser, call=world.call, locked=True)
    for call in (
        lambda: services.review_reopen(actor=user, assignment=a),
        lambda: services.review_save(actor=user, assignment=a, scores={}),
    ):
        with pytest.raises(PitchError) as exc:
            call()
        assert exc.value.code == "review_locked"
    services.ranking_lock(actor=world.organiser, call=world.call, locked=False)
    services.review_reopen(actor=user, assignment=a)
    assert Score.objects.filter(assignment=a).count() == 2


def test_only_the_assigned_active_reviewer_scores():
    world = ReviewWorld(k=1, submissions=1)
    a = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[1]
    )
    for actor in (world.reviewers[2].participant.user, world.organiser, world.outsider):
        with pytest.raises(PitchForbidden):
            services.review_save(actor=actor, assignment=a, scores={world.story.pk: 1})
    Reviewer.objects.filter(pk=world.reviewers[1].pk).update(active=False)
    with pytest.raises(PitchForbidden):
        services.review_save(
            actor=world.reviewers[1].participant.user, assignment=a, scores={world.story.pk: 1}
        )
    assert not Score.objects.exists()


def test_a_withdrawn_submission_is_no_longer_scored():
    world = ReviewWorld(k=1, submissions=1)
    a = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[1]
    )
    world.submissions[0].__class__.objects.filter(pk=world.submissions[0].pk).update(
        state=S.WITHDRAWN
    )
    with pytest.raises(PitchError) as exc:
        world.score(a, 1, 1)
    assert exc.value.code == "not_reviewable"


# ---- the jury -------------------------------------------------------------------------------


def test_adding_and_removing_reviewers():
    world = ReviewWorld(k=1, submissions=2)
    newcomer = ParticipantFactory(display_name="Newcomer")
    seat = services.reviewer_add(
        actor=world.organiser, call=world.call, participant=newcomer, capacity=3
    )
    assert (seat.capacity, seat.active) == (3, True)
    with pytest.raises(PitchError) as exc:
        services.reviewer_add(actor=world.organiser, call=world.call, participant=newcomer)
    assert exc.value.message == "Newcomer is already a reviewer of HAF 2026."
    with pytest.raises(PitchError):
        services.reviewer_add(
            actor=world.organiser, call=world.call, participant=ParticipantFactory(), capacity=0
        )
    with pytest.raises(PitchForbidden):
        services.reviewer_add(
            actor=world.outsider, call=world.call, participant=ParticipantFactory()
        )
    # Nothing scored: the reviewer goes. Something scored: they stay, inactive.
    assert services.reviewer_remove(actor=world.organiser, reviewer=seat) == services.RemoveOutcome(
        deleted=True, released=0
    )
    busy = world.reviewers[1]
    started, unstarted = (
        ReviewAssignment.objects.create(submission=s, reviewer=busy) for s in world.submissions
    )
    world.score(started, 5, 5, complete=False)
    outcome = services.reviewer_remove(actor=world.organiser, reviewer=busy)
    assert outcome == services.RemoveOutcome(deleted=False, released=1)
    busy.refresh_from_db()
    assert busy.active is False
    assert list(ReviewAssignment.objects.filter(reviewer=busy)) == [started]
    assert not ReviewAssignment.objects.filter(pk=unstarted.pk).exists()
    # Back on the jury: active again, the started review still theirs.
    again = services.reviewer_add(
        actor=world.organiser, call=world.call, participant=busy.participant
    )
    assert again.pk == busy.pk and again.active


# ---- decisions ------------------------------------------------------------------------------


def _ranked_world() -> tuple[ReviewWorld, list]:
    world = ReviewWorld(k=1, submissions=0)
    dev = [
        world.submission(i, company=world.companies[4], section=world.development) for i in range(4)
    ]
    for s, story in zip(dev, (9, 3, 7, 5), strict=True):
        a = ReviewAssignment.objects.create(submission=s, reviewer=world.reviewers[0])
        world.score(a, story, 5)
    return world, dev


def test_select_top_n_respects_the_lock_and_the_places():
    world, dev = _ranked_world()
    with pytest.raises(PitchError) as exc:
        services.section_select_top(actor=world.organiser, section=world.development, count=2)
    assert exc.value.code == "ranking_not_locked"
    services.ranking_lock(actor=world.organiser, call=world.call, locked=True)
    with pytest.raises(PitchError) as exc:
        services.section_select_top(actor=world.organiser, section=world.development, count=3)
    assert exc.value.message == (
        "In development has 2 places and 0 are taken: at most 2 more can be selected."
    )
    chosen = services.section_select_top(actor=world.organiser, section=world.development, count=2)
    assert [s.pk for s in chosen] == [dev[0].pk, dev[2].pk]  # stories 9 and 7
    for s in dev:
        s.refresh_from_db()
    assert [s.state for s in dev] == [S.SELECTED, S.SUBMITTED, S.SELECTED, S.SUBMITTED]
    assert list(
        SubmissionEvent.objects.filter(submission=dev[0]).values_list("from_state", "to_state")
    ) == [(S.SUBMITTED, S.SHORTLISTED), (S.SHORTLISTED, S.SELECTED)]
    with pytest.raises(PitchError) as exc:
        services.section_select_top(actor=world.organiser, section=world.development, count=1)
    assert exc.value.code == "section_full"


def test_decisions_go_through_the_state_machine():
    world, dev = _ranked_world()
    services.submission_decide(actor=world.organiser, submission=dev[1], to_state=S.REJECTED)
    dev[1].refresh_from_db()
    assert dev[1].state == S.REJECTED and dev[1].decided_at is not None
    with pytest.raises(PitchError) as exc:
        services.submission_decide(actor=world.organiser, submission=dev[1], to_state=S.SELECTED)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(PitchError) as exc:
        services.submission_decide(actor=world.organiser, submission=dev[0], to_state=S.WITHDRAWN)
    assert exc.value.code == "invalid_state"
    with pytest.raises(PitchForbidden):
        services.submission_decide(
            actor=world.reviewers[0].participant.user, submission=dev[0], to_state=S.SELECTED
        )
    dev[0].refresh_from_db()
    assert dev[0].state == S.SUBMITTED
    assert Decimal(world.story.weight) == Decimal("2")


def test_reviewers_with_new_work_get_one_message_each(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://market.example"
    world = ReviewWorld(k=2, submissions=4)
    with django_capture_on_commit_callbacks(execute=True):
        world.assign()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        r.participant.user.email for r in world.reviewers
    )
    first = next(m for m in mailoutbox if m.to == [world.reviewers[0].participant.user.email])
    assert first.subject == "2 new submissions to review for HAF 2026"
    assert "2 new submissions to HAF 2026 are waiting for your review." in first.body
    assert "You have 2 reviews to complete in all." in first.body
    assert f"https://market.example/pitch/review/calls/{world.call.pk}/mine/" in first.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world.assign()  # nothing new: no mail
    assert mailoutbox == []


def test_lowering_k_drops_unstarted_extras_but_never_started_work():
    world = ReviewWorld(k=2, submissions=2)
    world.assign()
    s0, s1 = world.submissions
    a0, b0 = ReviewAssignment.objects.filter(submission=s0).order_by("pk")
    world.score(a0, 5, 5)
    for a in ReviewAssignment.objects.filter(submission=s1):
        world.score(a, 4, 4, complete=False)
    world.call.reviewers_per_submission = 1
    world.call.save()
    outcome = world.assign()
    assert (outcome.created, outcome.removed) == (0, 1)
    assert {r for s, r in pairs() if s == s0.pk} == {a0.reviewer_id}
    assert len([1 for s, _r in pairs() if s == s1.pk]) == 2  # both started: both stay
    assert not ReviewAssignment.objects.filter(pk=b0.pk).exists()
