"""Vocabularies of Producers Connect: projects, financing sources, partners, investors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    FEATURE = "feature", _("Feature film")
    DOCUMENTARY = "documentary", _("Documentary")
    ANIMATION_FEATURE = "animation_feature", _("Animated feature")
    SERIES = "series", _("Series / drama")
    ANIMATION_SERIES = "animation_series", _("Animated series")


ANIMATION_KINDS = frozenset({ProjectKind.ANIMATION_FEATURE, ProjectKind.ANIMATION_SERIES})


class ProjectStage(models.TextChoices):
    DEVELOPMENT = "development", _("In development")
    FINANCING = "financing", _("Financing")
    PRE_PRODUCTION = "pre_production", _("Pre-production")
    PRODUCTION = "production", _("In production")
    POST_PRODUCTION = "post_production", _("Post-production (work in progress)")


class SourceKind(models.TextChoices):
    EQUITY = "equity", _("Equity")
    PRE_SALES = "pre_sales", _("Pre-sales")
    MINIMUM_GUARANTEE = "minimum_guarantee", _("Minimum guarantee")
    PUBLIC_FUND = "public_fund", _("Public fund")
    TAX_INCENTIVE = "tax_incentive", _("Tax incentive")
    COPRODUCER_SHARE = "coproducer_share", _("Co-producer share")
    IN_KIND = "in_kind", _("In kind")


class SourceStatus(models.TextChoices):
    SECURED = "secured", _("Secured")
    PENDING = "pending", _("Pending / in negotiation")


class PartnerKind(models.TextChoices):
    COPRODUCER = "coproducer", _("Co-producer")
    SALES_AGENT = "sales_agent", _("Sales agent")
    DISTRIBUTOR = "distributor", _("Distributor")
    FINANCIER = "financier", _("Financier")
    FOUNDATION = "foundation", _("Foundation")


class DocumentKind(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    LOOKBOOK = "lookbook", _("Lookbook")
    BUDGET_TOP_SHEET = "budget_top_sheet", _("Budget top-sheet")
    OTHER = "other", _("Other")


class InvestorKind(models.TextChoices):
    FINANCIER = "financier", _("Financier / equity investor")
    FUND = "fund", _("Film fund")
    FOUNDATION = "foundation", _("Foundation")
    COPRODUCER = "coproducer", _("Co-producer")
    SALES_AGENT = "sales_agent", _("Sales agent")
    DISTRIBUTOR = "distributor", _("Distributor")
