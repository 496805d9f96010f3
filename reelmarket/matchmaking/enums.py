"""Vocabularies of matchmaking: what a suggestion points at, and what a viewer says of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    """What a stored suggestion points at (and which of its references are set)."""

    TITLE = "title", _("Title to look at")  # title: for a buyer
    BUYER = "buyer", _("Buyer to meet")  # person (a buyer) + title (the seller's title)
    MEETING = "meeting", _("Person to meet")  # person: a two-sided meeting pair
    PROJECT = "project", _("Project")  # project: for an investor
    FINANCIER = "financier", _("Financier or co-producer")  # person + project (the producer's)


# The kinds whose target is a person one may meet: "no thanks" applies to them.
PERSON_KINDS = frozenset({TargetKind.BUYER, TargetKind.MEETING, TargetKind.FINANCIER})


class Verdict(models.TextChoices):
    NOT_INTERESTED = "not_interested", _("Not interested")
    MORE_LIKE_THIS = "more_like_this", _("More like this")
    NO_THANKS = "no_thanks", _("No thanks")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
