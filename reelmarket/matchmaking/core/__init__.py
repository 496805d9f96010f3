"""The matchmaking core: explainable, Django-free scoring (numpy; hnswlib for candidates).

See docs/matchmaking.md. Everything public is re-exported here.
"""

from reelmarket.matchmaking.core.explain import Match, Reason
from reelmarket.matchmaking.core.history import (
    ACTIONS,
    DEAL,
    MORE_LIKE_THIS,
    NOT_INTERESTED,
    REQUEST,
    SAVE,
    VIEW,
    HistoryWeights,
    Interaction,
)
from reelmarket.matchmaking.core.meetings import (
    BUYER_MAX,
    SELLER_MAX,
    MeetingSuggestion,
    meeting_suggestions,
)
from reelmarket.matchmaking.core.projects import (
    FinancierMatcher,
    ProjectItem,
    ProjectMeetingSuggestion,
    project_meeting_suggestions,
)
from reelmarket.matchmaking.core.titles import (
    BUDGET_TIERS,
    DONE_ACTIONS,
    EXCLUSION_CODES,
    BuyerProfile,
    Interest,
    Suggestion,
    TitleFeatures,
    TitleMatcher,
    budget_tier,
)

__all__ = [
    "ACTIONS",
    "BUDGET_TIERS",
    "BUYER_MAX",
    "DEAL",
    "DONE_ACTIONS",
    "EXCLUSION_CODES",
    "MORE_LIKE_THIS",
    "NOT_INTERESTED",
    "REQUEST",
    "SAVE",
    "SELLER_MAX",
    "VIEW",
    "BuyerProfile",
    "FinancierMatcher",
    "HistoryWeights",
    "Interaction",
    "Interest",
    "Match",
    "MeetingSuggestion",
    "ProjectItem",
    "ProjectMeetingSuggestion",
    "Reason",
    "Suggestion",
    "TitleFeatures",
    "TitleMatcher",
    "budget_tier",
    "meeting_suggestions",
    "project_meeting_suggestions",
]
