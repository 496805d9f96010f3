"""Console script ``reelmarket``: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["reelmarket", *_underscored(args)])


def _underscored(args: list[str]) -> list[str]:
    """``reelmarket import-titles`` runs the command ``import_titles``: a hyphenated name that
    is not a command is tried with underscores (also after ``help``)."""
    at = 1 if args[:1] == ["help"] else 0
    if len(args) <= at or args[at].startswith("-") or "-" not in args[at]:
        return args
    try:
        import django
        from django.core.management import get_commands

        django.setup()
        commands = get_commands()
    except Exception:  # broken settings: let Django report them as usual
        return args
    name = args[at]
    if name not in commands and name.replace("-", "_") in commands:
        return [*args[:at], name.replace("-", "_"), *args[at + 1 :]]
    return args


if __name__ == "__main__":
    main()
