"""A small pitch forum after selection, for the after-selection and dashboard tests.

The edition is current, with an optimiser-mode meeting grid; a call with an animation and
a works-in-progress section; Wei (producer, applicant) with a selected animated feature;
a shortlisted project by someone else; Sofia (foundation, investor role) and Ravi
(investor profile only), both approved for the edition; an unrelated buyer; an organiser.
"""

from __future__ import annotations

from datetime import UTC, datetime

from reelmarket.financing.enums import ProjectKind, ProjectStage
from reelmarket.market.enums import Role
from reelmarket.meetings.enums import SchedulingMode
from reelmarket.pitching.enums import SectionKind, SubmissionState
from tests.factories import EditionFactory, OrganisationFactory, make_user_with_roles
from tests.financing.factories import InvestorProfileFactory, ProjectFactory
from tests.meetings.factories import MeetingGridFactory, person
from tests.pitching.factories import CallFactory, SectionFactory, SubmissionFactory

S = SubmissionState


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Venue (Hong Kong, UTC+8) wall clock on March ``day`` 2025, as UTC."""
    return datetime(2025, 3, day, hour - 8, minute, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.edition = EditionFactory(is_current=True, name="FILMART 2025", slug="filmart-2025")
        self.grid = MeetingGridFactory(edition=self.edition, mode=SchedulingMode.OPTIMISER)
        self.call = CallFactory(edition=self.edition, name="HAF 2025", slug="haf-2025")
        self.animation = SectionFactory(
            call=self.call, code="animation", name="Animation", kind=SectionKind.ANIMATION
        )
        self.wip = SectionFactory(
            call=self.call, code="wip", name="Works in progress", kind=SectionKind.WORK_IN_PROGRESS
        )
        self.studio = OrganisationFactory(name="Shanghai Ink Studio", slug="ink", country="CN")
        self.wei = person(
            self.edition, Role.PRODUCER, organisation=self.studio, display_name="Wei Zhang",
            country="CN", time_zone="Asia/Shanghai",
        )  # fmt: skip
        self.project = ProjectFactory(
            owner=self.wei, title="The Paper Tiger", kind=ProjectKind.ANIMATION_FEATURE,
            genres=["animation", "family"], countries=["CN"], stage=ProjectStage.DEVELOPMENT,
        )  # fmt: skip
        self.selected = SubmissionFactory(
            section=self.animation, project=self.project, state=S.SELECTED,
            logline_zh="纸老虎的故事。", synopsis_zh="一只纸老虎。",
        )  # fmt: skip
        self.other_producer = person(self.edition, Role.PRODUCER, display_name="Anna Lee")
        self.wip_project = ProjectFactory(
            owner=self.other_producer, title="Harbour Lights", countries=["HK"],
            stage=ProjectStage.POST_PRODUCTION, genres=["drama"],
        )  # fmt: skip
        self.wip_selected = SubmissionFactory(
            section=self.wip, project=self.wip_project, state=S.SELECTED
        )
        self.shortlisted = SubmissionFactory(
            section=self.animation,
            project=ProjectFactory(title="Secret Garden", countries=["JP"]),
            state=S.SHORTLISTED,
        )
        self.sofia = person(
            self.edition, Role.INVESTOR, display_name="Sofia Martin", country="FR",
            time_zone="Europe/Paris",
        )  # fmt: skip
        self.ravi = person(self.edition, Role.BUYER, display_name="Ravi Kumar", country="IN")
        InvestorProfileFactory(participant=self.ravi)
        self.buyer = person(self.edition, Role.BUYER, display_name="Linh Tran")
        self.organiser = make_user_with_roles(Role.ORGANISER)
        self.users = {
            "anonymous": None,
            "unrelated": self.buyer.user,
            "applicant": self.wei.user,
            "investor": self.sofia.user,
            "organiser": self.organiser,
        }
