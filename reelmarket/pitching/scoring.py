"""Review scores: the weighted rubric total and the normalised ranking (Django-free).

``weighted_total`` turns one reviewer's scores (criterion → 0..scale_max) into 0..100:
``100 · Σ w_c · s_c / max_c / Σ w_c``.

``rank_submissions`` ranks submissions by the mean of their reviews. With ``normalise``
(the default) each review is first corrected for its reviewer's bias — a harsh or lenient
reviewer, a narrow or wide spread — by a z-score per reviewer mapped back to the scale of
all reviews::

    normalised = μ + σ · (x − μ_r) / σ_r      then clipped to 0..100

where μ, σ are the mean and (population) standard deviation of all reviews, and μ_r, σ_r
those of reviewer r. Two reviewers who order the same projects the same way thus give the
same normalised scores, whatever their own scale.

Edge cases, chosen so that a reviewer's opinion is never invented:

* a reviewer with **one** review: their bias cannot be estimated, the review is kept raw;
* a reviewer whose reviews are **all equal** (σ_r = 0, two or more reviews): they express
  no preference between those submissions, so each review becomes the overall mean μ;
* all reviews equal (σ = 0): nothing to correct, normalised = raw.

The assumption behind z-scores is that each reviewer reads a similar mix of submissions —
what the automatic assignment's random, diverse panels provide.

Ranks are competition ranks ("1, 2, 2, 4"): submissions whose scores are equal to 1e-9
share a rank. The list is sorted by rank, then submission id.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TIE_DIGITS = 9


def weighted_total(
    *, scores: Mapping[int, int], weights: Mapping[int, float], scale_max: Mapping[int, int]
) -> float:
    """One review's weighted total on 0..100 (criterion ids as keys in all three maps).

    Every weighted criterion must be scored; a score outside 0..scale_max, a score for a
    criterion without weight, a non-positive scale or a zero total weight is a ValueError.
    """
    unknown = sorted(set(scores) - set(weights))
    if unknown:
        raise ValueError(f"Scores for criteria without a weight: {unknown}.")
    missing = sorted(c for c in weights if c not in scores)
    if missing:
        raise ValueError(f"Criteria not scored: {missing}.")
    total_weight = 0.0
    weighted = 0.0
    for criterion, weight in weights.items():
        weight = float(weight)
        if weight < 0:
            raise ValueError(f"Criterion {criterion} has a negative weight.")
        top = scale_max.get(criterion)
        if top is None or top <= 0:
            raise ValueError(f"Criterion {criterion} has no positive highest score.")
        value = scores[criterion]
        if not 0 <= value <= top:
            raise ValueError(f"Score {value} for criterion {criterion} is outside 0..{top}.")
        weighted += weight * value / top
        total_weight += weight
    if total_weight <= 0:
        raise ValueError("The criteria's weights add up to zero.")
    return 100.0 * weighted / total_weight


@dataclass(frozen=True)
class Ranked:
    submission: int
    raw: float  # mean of the reviews as given
    normalised: float  # mean of the bias-corrected reviews (== raw without normalisation)
    reviews: int
    rank: int


def _mean_std(values: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def rank_submissions(
    *, reviews: Sequence[tuple[int, int, float]], normalise: bool = True
) -> list[Ranked]:
    """Rank submissions from (reviewer id, submission id, weighted total 0..100) triples."""
    if not reviews:
        return []
    seen: set[tuple[int, int]] = set()
    for reviewer, submission, value in reviews:
        if (reviewer, submission) in seen:
            raise ValueError(f"Reviewer {reviewer} reviewed submission {submission} twice.")
        seen.add((reviewer, submission))
        if not 0 <= value <= 100 or math.isnan(value):
            raise ValueError(f"Review value {value} is outside 0..100.")

    corrected = [float(v) for _, _, v in reviews]
    if normalise:
        mean, std = _mean_std([float(v) for _, _, v in reviews])
        by_reviewer: dict[int, list[float]] = defaultdict(list)
        for reviewer, _, value in reviews:
            by_reviewer[reviewer].append(float(value))
        stats = {r: _mean_std(values) for r, values in by_reviewer.items()}
        if std > 0:
            for n, (reviewer, _, value) in enumerate(reviews):
                if len(by_reviewer[reviewer]) < 2:
                    continue  # one review: bias unknown, keep it raw
                mean_r, std_r = stats[reviewer]
                if std_r == 0:
                    corrected[n] = mean
                else:
                    corrected[n] = min(100.0, max(0.0, mean + std * (value - mean_r) / std_r))

    raw_by_submission: dict[int, list[float]] = defaultdict(list)
    norm_by_submission: dict[int, list[float]] = defaultdict(list)
    for (_, submission, value), fixed in zip(reviews, corrected, strict=True):
        raw_by_submission[submission].append(float(value))
        norm_by_submission[submission].append(fixed)
    rows = [
        (
            submission,
            math.fsum(raw) / len(raw),
            math.fsum(norm_by_submission[submission]) / len(raw),
            len(raw),
        )
        for submission, raw in raw_by_submission.items()
    ]
    rows.sort(key=lambda row: (-round(row[2], TIE_DIGITS), row[0]))
    ranked: list[Ranked] = []
    previous: float | None = None
    rank = 0
    for position, (submission, raw, normalised, count) in enumerate(rows, start=1):
        key = round(normalised, TIE_DIGITS)
        if key != previous:
            rank, previous = position, key
        ranked.append(
            Ranked(submission=submission, raw=raw, normalised=normalised, reviews=count, rank=rank)
        )
    return ranked


__all__ = ["Ranked", "rank_submissions", "weighted_total"]
