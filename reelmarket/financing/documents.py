"""Checking an uploaded project document before anything is written.

Only PDF, JPEG, PNG and WebP are accepted, recognised by their first bytes (the "magic
number"), never by the file name alone; the name's extension must agree with the content.
The size limit is ``settings.MAX_DOCUMENT_UPLOAD_BYTES`` (default 20 MB).
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str  # the one we store under
    extensions: frozenset[str]  # the names we accept
    label: str


PDF = DocumentType("application/pdf", "pdf", frozenset({"pdf"}), "PDF")
JPEG = DocumentType("image/jpeg", "jpg", frozenset({"jpg", "jpeg"}), "JPEG")
PNG = DocumentType("image/png", "png", frozenset({"png"}), "PNG")
WEBP = DocumentType("image/webp", "webp", frozenset({"webp"}), "WebP")
TYPES = (PDF, JPEG, PNG, WEBP)
ACCEPT = ",".join(
    sorted({f".{e}" for t in TYPES for e in t.extensions} | {t.content_type for t in TYPES})
)


def max_bytes() -> int:
    return int(getattr(settings, "MAX_DOCUMENT_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> DocumentType | None:
    """The type the first bytes announce, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def clean_name(name: str) -> str:
    """The uploaded file's base name, without folders or control characters, ≤ 200 chars."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base or "document"


def _extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _read_head(upload: IO[bytes] | Any) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head or b""


def check_upload(upload: Any) -> DocumentType:
    """The document's type; raises ``ValidationError`` (code ``empty``, ``too_large``,
    ``file_type`` or ``extension``) with a message for the producer."""
    name = clean_name(getattr(upload, "name", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(
            _("The file “%(name)s” is empty."), code="empty", params={"name": name}
        )
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
        )
    found = sniff(_read_head(upload))
    if found is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, JPEG, PNG or WebP file. Export the treatment, "
                "lookbook or budget top-sheet as PDF or as an image."
            ),
            code="file_type",
            params={"name": name},
        )
    extension = _extension(name)
    if extension not in found.extensions:
        raise ValidationError(
            _("“%(name)s” contains a %(type)s file; name it with .%(extension)s."),
            code="extension",
            params={"name": name, "type": found.label, "extension": found.extension},
        )
    return found


def storage_name(*, project_id: int, document_type: DocumentType) -> str:
    """A fresh, unguessable file name under the project's folder (never the uploaded name)."""
    return f"{project_id}/{secrets.token_hex(16)}.{document_type.extension}"
