"""Vocabularies of the catalogue: kinds of IP, genres, stages, credits, rights."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.avails.media import Media


class TitleKind(models.TextChoices):
    FEATURE = "feature", _("Feature film")
    SERIES = "series", _("Series / drama")
    ANIMATION_FEATURE = "animation_feature", _("Animated feature")
    ANIMATION_SERIES = "animation_series", _("Animated series")
    DOCUMENTARY = "documentary", _("Documentary")
    SHORT = "short", _("Short")
    FORMAT_UNSCRIPTED = "format_unscripted", _("Format (unscripted)")
    FORMAT_SCRIPTED = "format_scripted", _("Format (scripted)")
    BOOK = "book", _("Book IP")
    COMIC = "comic", _("Comic IP")
    GAME = "game", _("Game IP")


EPISODIC_KINDS = frozenset(
    {
        TitleKind.SERIES,
        TitleKind.ANIMATION_SERIES,
        TitleKind.FORMAT_UNSCRIPTED,
        TitleKind.FORMAT_SCRIPTED,
    }
)
SOURCE_IP_KINDS = frozenset({TitleKind.BOOK, TitleKind.COMIC, TitleKind.GAME})


class Genre(models.TextChoices):
    ACTION = "action", _("Action")
    ADVENTURE = "adventure", _("Adventure")
    ANIMATION = "animation", _("Animation")
    COMEDY = "comedy", _("Comedy")
    CRIME = "crime", _("Crime")
    DOCUMENTARY = "documentary", _("Documentary")
    DRAMA = "drama", _("Drama")
    FAMILY = "family", _("Family")
    FANTASY = "fantasy", _("Fantasy")
    HISTORICAL = "historical", _("Historical")
    HORROR = "horror", _("Horror")
    MARTIAL_ARTS = "martial_arts", _("Martial arts")
    MUSICAL = "musical", _("Musical")
    MYSTERY = "mystery", _("Mystery")
    ROMANCE = "romance", _("Romance")
    SCI_FI = "sci_fi", _("Science fiction")
    THRILLER = "thriller", _("Thriller")
    WAR = "war", _("War")
    YOUTH = "youth", _("Youth / coming-of-age")
    REALITY = "reality", _("Reality")
    GAME_SHOW = "game_show", _("Game show")
    LIFESTYLE = "lifestyle", _("Lifestyle")


class Stage(models.TextChoices):
    DEVELOPMENT = "development", _("In development")
    FINANCING = "financing", _("Financing")
    PRE_PRODUCTION = "pre_production", _("Pre-production")
    PRODUCTION = "production", _("In production")
    POST_PRODUCTION = "post_production", _("Post-production")
    COMPLETED = "completed", _("Completed")


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    PRODUCER = "producer", _("Producer")
    WRITER = "writer", _("Writer")
    CAST = "cast", _("Cast")
    AUTHOR = "author", _("Author")
    COMPOSER = "composer", _("Composer")
    CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
    EDITOR = "editor", _("Editor")
    ANIMATION_DIRECTOR = "animation_director", _("Animation director")
    SHOWRUNNER = "showrunner", _("Showrunner")


class RecognitionKind(models.TextChoices):
    SELECTION = "selection", _("Official selection")
    NOMINATION = "nomination", _("Nomination")
    AWARD = "award", _("Award")


class WindowStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_HOLD = "on_hold", _("On hold")
    SOLD = "sold", _("Sold")


MediaChoices = models.TextChoices(
    "MediaChoices",
    [
        (m.name, (m.value, label))
        for m, label in (
            (Media.THEATRICAL, _("Theatrical")),
            (Media.FREE_TV, _("Free TV")),
            (Media.PAY_TV, _("Pay TV")),
            (Media.SVOD, _("SVOD")),
            (Media.AVOD, _("AVOD")),
            (Media.TVOD_EST, _("TVOD / EST")),
            (Media.AIRLINE, _("Airline")),
            (Media.NON_THEATRICAL, _("Non-theatrical")),
            (Media.REMAKE, _("Remake")),
            (Media.FORMAT, _("Format")),
            (Media.DERIVATIVE, _("Derivative")),
        )
    ],
)
