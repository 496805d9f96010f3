"""Who may do what in Producers Connect (projects, documents, investor profiles).

Views, the API and the services ask these predicates; none of them writes.

* A project belongs to its producer (``owner``) and to the owner's production company: the
  company's confirmed staff ("colleagues") edit it too. Organisers may edit everything.
* Signed-in participants see projects that are looking for financing (title, team,
  budget, financing plan, partners sought); the documents (treatment, lookbook, budget
  top-sheet) only the owner, colleagues, organisers, the people the producer granted access
  to, and — when the producer ticks the box — investors approved for the current edition.
* An investor profile is kept by participants with the investor role or who work for a
  financier or a foundation; producers see the profiles the person lets them see.
"""

from __future__ import annotations

from typing import Any

from reelmarket.market.enums import OrganisationKind, Role, Vetting
from reelmarket.market.rules import is_organiser, may_see, participant_of, works_for

INVESTOR_ORGANISATION_KINDS = frozenset({OrganisationKind.FINANCIER, OrganisationKind.FOUNDATION})


def _roles(participant: Any) -> set[str]:
    return {r.role for r in participant.roles.all()}


def is_producer(user: Any) -> bool:
    participant = participant_of(user)
    return participant is not None and Role.PRODUCER in _roles(participant)


def may_create_project(user: Any) -> bool:
    """Producers list projects."""
    return is_producer(user)


def is_owner(user: Any, project: Any) -> bool:
    participant = participant_of(user)
    return participant is not None and participant.pk == project.owner_id


def is_colleague(user: Any, project: Any) -> bool:
    """Confirmed staff of the project's production company (the owner's company)."""
    return project.organisation_id is not None and works_for(user, project.organisation_id)


def may_edit_project(user: Any, project: Any) -> bool:
    """Change the project, its plan, team, partners, documents and who sees them."""
    return is_organiser(user) or is_owner(user, project) or is_colleague(user, project)


def may_delete_project(user: Any, project: Any) -> bool:
    return is_organiser(user) or is_owner(user, project)


def may_see_project(user: Any, project: Any) -> bool:
    """Signed-in participants see projects looking for financing; the team sees its own."""
    if may_edit_project(user, project):
        return True
    return project.seeking_financing and participant_of(user) is not None


def is_investor(participant: Any) -> bool:
    """Investor role, or works (confirmed) for a financier or a foundation."""
    if participant is None:
        return False
    if Role.INVESTOR in _roles(participant):
        return True
    organisation = participant.organisation if participant.organisation_id else None
    return (
        organisation is not None
        and participant.organisation_confirmed
        and organisation.kind in INVESTOR_ORGANISATION_KINDS
    )


def is_approved_investor(user: Any, edition: Any) -> bool:
    participant = participant_of(user)
    if participant is None or edition is None or not is_investor(participant):
        return False
    return participant.registrations.filter(edition=edition, vetting=Vetting.APPROVED).exists()


def may_see_documents(user: Any, project: Any, *, edition: Any = None) -> bool:
    """Owner, colleagues, organisers, people granted access; approved investors of
    ``edition`` when the producer opened the documents to them."""
    if may_edit_project(user, project):
        return True
    participant = participant_of(user)
    if participant is None:
        return False
    if project.document_viewers.filter(pk=participant.pk).exists():
        return True
    return bool(project.documents_for_investors) and is_approved_investor(user, edition)


def may_keep_investor_profile(participant: Any) -> bool:
    return is_investor(participant)


def may_edit_investor_profile(user: Any, participant: Any) -> bool:
    """The person themselves (if they may keep a profile), or an organiser."""
    if is_organiser(user):
        return True
    me = participant_of(user)
    return me is not None and me.pk == participant.pk and is_investor(me)


def may_see_investor_profile(user: Any, profile: Any) -> bool:
    """The person's profile and interests must both be visible to the viewer (the profile's
    criteria are interests; reasons cite them)."""
    owner = profile.participant
    if participant_of(user) is None and not is_organiser(user):
        return False
    return may_see(user, owner=owner, level=owner.profile_visibility) and may_see(
        user, owner=owner, level=owner.interests_visibility
    )


def may_browse_projects(user: Any) -> bool:
    """The project directory: any signed-in participant (investors get it ranked)."""
    return participant_of(user) is not None or is_organiser(user)


def may_browse_investors(user: Any, project: Any) -> bool:
    """The investor directory for a project: the people who edit the project."""
    return may_edit_project(user, project)
