"""ReelMarket: an open-source platform for a hybrid film & TV content market."""

__version__ = "0.1.0"
