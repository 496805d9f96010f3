"""Vocabularies of the market domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SALES_AGENT = "sales_agent", _("Sales agent")
    DISTRIBUTOR = "distributor", _("Distributor")
    BROADCASTER = "broadcaster", _("Broadcaster")
    STREAMER = "streamer", _("Streaming platform")
    STUDIO = "studio", _("Studio")
    PRODUCTION_COMPANY = "production_company", _("Production company")
    FINANCIER = "financier", _("Financier")
    FOUNDATION = "foundation", _("Foundation")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    ASSOCIATION = "association", _("Association")


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")
    PRODUCER = "producer", _("Producer")
    INVESTOR = "investor", _("Investor")
    PRESS = "press", _("Press")
    ORGANISER = "organiser", _("Organiser")


class PavilionKind(models.TextChoices):
    COUNTRY = "country", _("Country or region")
    HUB = "hub", _("Hub")


class Visibility(models.TextChoices):
    """Who may see a part of a participant's profile."""

    PUBLIC = "public", _("Everyone, including visitors")
    PARTICIPANTS = "participants", _("Signed-in participants")
    HIDDEN = "hidden", _("Only me and the organisers")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Vetting(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetRange(models.TextChoices):
    MICRO = "micro", _("Under USD 250k")
    LOW = "low", _("USD 250k – 1m")
    MID = "mid", _("USD 1m – 5m")
    HIGH = "high", _("USD 5m – 20m")
    TENTPOLE = "tentpole", _("Over USD 20m")
