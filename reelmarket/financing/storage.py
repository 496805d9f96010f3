"""Where project documents are kept: a private folder outside MEDIA_ROOT.

The site serves ``MEDIA_ROOT`` publicly (posters, logos), so documents live elsewhere —
``settings.PRIVATE_MEDIA_ROOT`` when set, else ``VAR_DIR/private`` — and are sent only by
the permission-checked view ``financing:document``. The storage has no public URL.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root() -> Path:
    """The private documents folder (read at each use, so tests can point it elsewhere)."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "private"


class PrivateDocumentStorage(FileSystemStorage):
    """File-system storage rooted at :func:`private_root`, with no URL."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(private_root())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Project documents have no public URL; link to the document view.")


_storage = PrivateDocumentStorage()


def private_storage() -> PrivateDocumentStorage:
    """The storage of ``ProjectDocument.file`` (a callable, so migrations name it)."""
    return _storage
