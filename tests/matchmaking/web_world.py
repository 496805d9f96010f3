"""A small market for the "For you" tests: the meetings World (Tokyo Sales Co with Kenji
and Aiko; buyers Mei, Sofia and Linh; an organiser) plus titles with rights, interests,
a producer with a project and an investor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from reelmarket.catalogue.enums import TitleKind, WindowStatus
from reelmarket.financing.enums import InvestorKind, ProjectStage
from reelmarket.market.enums import OrganisationKind, Role, Visibility
from reelmarket.matchmaking import scoring_adapter
from tests.factories import OrganisationFactory, RightsWindowFactory, TitleFactory, UserFactory
from tests.financing.factories import InvestorProfileFactory, ProjectFactory
from tests.meetings.factories import World, person


def genres(title, *values: str) -> None:
    for value in values:
        title.genres.create(genre=value)


class MatchWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.edition.is_current = True
        self.edition.save()
        self.buyer_org.kind = OrganisationKind.STREAMER
        self.buyer_org.save()
        # Linh buys family animation for Vietnam (SVOD: she works for a streamer).
        self.linh.content_kinds = [TitleKind.ANIMATION_FEATURE]
        self.linh.genres = ["animation", "family"]
        self.linh.territories = ["VN"]
        self.linh.save()
        # Sofia buys drama features for France.
        self.sofia.content_kinds = [TitleKind.FEATURE]
        self.sofia.genres = ["drama"]
        self.sofia.territories = ["FR"]
        self.sofia.save()
        owner = self.seller_org
        self.jungle = TitleFactory(
            owner=owner, original_title="Jungle Friends", kind=TitleKind.ANIMATION_FEATURE
        )
        genres(self.jungle, "animation", "family")
        RightsWindowFactory(title=self.jungle, media="svod", territories=["ASIA"])
        self.lanterns = TitleFactory(
            owner=owner, original_title="Paper Lanterns", kind=TitleKind.ANIMATION_FEATURE
        )
        genres(self.lanterns, "animation")
        RightsWindowFactory(title=self.lanterns, media="svod", territories=["ASIA"])
        RightsWindowFactory(
            title=self.lanterns,
            media="svod",
            territories=["VN"],
            status=WindowStatus.SOLD,
            counterparty="FPT Play",
            starts_on=date(2025, 1, 1),
            ends_on=date(2035, 12, 31),
        )
        self.ferry = TitleFactory(owner=owner, original_title="Night Ferry")
        genres(self.ferry, "drama")
        RightsWindowFactory(title=self.ferry, media="svod", territories=["WW"])
        self.school = TitleFactory(owner=owner, original_title="Haunted School")
        genres(self.school, "horror", "family")
        RightsWindowFactory(title=self.school, media="svod", territories=["VN"])
        self.draft = TitleFactory(
            owner=owner,
            original_title="Secret Draft",
            kind=TitleKind.ANIMATION_FEATURE,
            is_published=False,
        )
        genres(self.draft, "animation", "family")
        RightsWindowFactory(title=self.draft, media="svod", territories=["ASIA"])
        # Producers Connect: Arjun's project and an investor (Sofia's foundation colleague).
        self.arjun = person(self.edition, Role.PRODUCER, display_name="Arjun", country="IN")
        self.project = ProjectFactory(
            owner=self.arjun,
            title="Monsoon Letters",
            genres=["drama"],
            stage=ProjectStage.DEVELOPMENT,
            countries=["IN"],
            budget=Decimal("1200000"),
        )
        self.fund_org = OrganisationFactory(
            name="Paris Foundation", slug="paris-foundation", kind=OrganisationKind.FOUNDATION
        )
        self.fund = person(
            self.edition, Role.INVESTOR, organisation=self.fund_org, display_name="Claire"
        )
        self.fund_profile = InvestorProfileFactory(
            participant=self.fund,
            kind=InvestorKind.FOUNDATION,
            genres=["drama"],
            regions=["IN"],
            stages=[ProjectStage.DEVELOPMENT],
        )
        self.admin = UserFactory(is_staff=True)  # back office only: no participant profile
        self.hidden_buyer = person(
            self.edition,
            Role.BUYER,
            display_name="Hidden Hana",
            profile_visibility=Visibility.HIDDEN,
            content_kinds=[TitleKind.ANIMATION_FEATURE],
            genres=["animation"],
            territories=["VN"],
        )
        self.private_interests = person(
            self.edition,
            Role.BUYER,
            display_name="Quiet Quan",
            interests_visibility=Visibility.HIDDEN,
            content_kinds=[TitleKind.ANIMATION_FEATURE],
            genres=["animation", "family"],
            territories=["VN"],
        )


def fresh_world() -> Iterator[MatchWorld]:
    """A new MatchWorld with the adapter's cache forgotten before and after (use it as the
    body of a test module's ``world`` fixture)."""
    scoring_adapter.world_reset()
    yield MatchWorld()
    scoring_adapter.world_reset()
