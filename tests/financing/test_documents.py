"""Project documents: content checked by magic bytes, size limit, nothing written on
refusal, private storage outside MEDIA_ROOT, and who may open them (every role)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from reelmarket.financing import documents, rules, services
from reelmarket.financing.models import ProjectDocument
from reelmarket.financing.storage import private_storage
from reelmarket.market.models import Registration
from tests.financing.projects_world import JPEG, PDF, PNG, WEBP, World, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def world() -> World:
    return World()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def add(world: World, name: str, content: bytes, kind: str = "treatment") -> ProjectDocument:
    return services.document_add(
        actor=world.arjun.user, project=world.project, kind=kind, upload=upload(name, content)
    )


# ---- the checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("treatment.pdf", PDF, "application/pdf"),
        ("lookbook.PNG", PNG, "image/png"),
        ("still.jpeg", JPEG, "image/jpeg"),
        ("still.jpg", JPEG, "image/jpeg"),
        ("cover.webp", WEBP, "image/webp"),
    ],
)
def test_accepted_types_are_stored_privately(world, private_dirs, name, content, content_type):
    document = add(world, name, content)
    assert (document.content_type, document.size, document.original_name) == (
        content_type,
        len(content),
        name,
    )
    stored = files_under(private_dirs / "private")
    assert len(stored) == 1
    assert stored[0].read_bytes() == content
    assert stored[0].name != name  # never the uploaded name
    assert files_under(private_dirs / "media") == []
    assert document.file.name.startswith(f"projects/{world.project.pk}/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "treatment.pdf",
            b"MZ\x90\x00 this is an executable",
            "“treatment.pdf” is not a PDF, JPEG, PNG or WebP file. Export the treatment, "
            "lookbook or budget top-sheet as PDF or as an image.",
        ),
        (
            "budget.pdf",
            b"<html><script>alert(1)</script></html>",
            "“budget.pdf” is not a PDF, JPEG, PNG or WebP file. Export the treatment, "
            "lookbook or budget top-sheet as PDF or as an image.",
        ),
        ("lookbook.png", PDF, "“lookbook.png” contains a PDF file; name it with .pdf."),
        ("lookbook.svg", PNG, "“lookbook.svg” contains a PNG file; name it with .png."),
        ("treatment", PDF, "“treatment” contains a PDF file; name it with .pdf."),
        ("empty.pdf", b"", "The file “empty.pdf” is empty."),
    ],
)
def test_refused_files_write_nothing(world, private_dirs, name, content, message):
    with pytest.raises(ValidationError) as exc:
        add(world, name, content)
    assert exc.value.message_dict == {"file": [message]}
    assert not ProjectDocument.objects.exists()
    assert files_under(private_dirs) == []


def test_too_large_is_refused_with_the_limit(world, private_dirs, settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 1_048_576
    with pytest.raises(ValidationError) as exc:
        add(world, "big.pdf", PDF + b"0" * 2_097_152)
    assert exc.value.message_dict == {"file": ["The file is 2.0 MB; the limit is 1.0 MB."]}
    assert files_under(private_dirs) == []
    assert add(world, "ok.pdf", PDF).size == len(PDF)


def test_unknown_document_kind(world, private_dirs):
    with pytest.raises(ValidationError) as exc:
        add(world, "a.pdf", PDF, kind="screenplay")
    assert exc.value.message_dict == {"kind": ["“screenplay” is not a known kind of document."]}
    assert files_under(private_dirs) == []


def test_clean_name_strips_folders_and_control_characters():
    assert documents.clean_name("../../etc/pa\x00ss\nwd.pdf") == "passwd.pdf"
    assert documents.clean_name("C:\\Users\\me\\Lookbook.pdf") == "Lookbook.pdf"
    assert documents.clean_name("") == "document"
    assert len(documents.clean_name("x" * 300 + ".pdf")) == 200
    assert documents.clean_name("x" * 300 + ".pdf").endswith(".pdf")


def test_storage_has_no_public_url():
    with pytest.raises(ValueError, match="no public URL"):
        private_storage().url("projects/1/x.pdf")


def test_remove_deletes_the_file(world, private_dirs, django_capture_on_commit_callbacks):
    document = add(world, "t.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=world.arjun.user, document=document)
    assert not ProjectDocument.objects.exists()
    assert files_under(private_dirs / "private") == []


def test_project_delete_deletes_the_files(world, private_dirs, django_capture_on_commit_callbacks):
    add(world, "t.pdf", PDF)
    add(world, "l.png", PNG, kind="lookbook")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_delete(actor=world.arjun.user, project=world.project)
    assert files_under(private_dirs / "private") == []


@pytest.mark.parametrize("who", ["investor", "outsider", "claimant"])
def test_strangers_cannot_upload(world, private_dirs, who):
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=world.users[who],
            project=world.project,
            kind="treatment",
            upload=upload("a.pdf", PDF),
        )
    assert files_under(private_dirs) == []


# ---- who sees the documents -----------------------------------------------------------------

# (role, sees by default, sees once granted, sees when opened to approved investors)
MATRIX = [
    ("anonymous", False, False, False),
    ("outsider", False, True, False),
    ("claimant", False, True, False),
    ("investor", False, True, True),
    ("colleague", True, True, True),
    ("owner", True, True, True),
    ("organiser", True, True, True),
]


def _participant(world: World, who: str):
    return {
        "outsider": world.outsider,
        "claimant": world.claimant,
        "investor": world.sofia,
    }.get(who)


@pytest.mark.parametrize(("who", "default", "granted", "opened"), MATRIX)
def test_access_matrix_rules(world, who, default, granted, opened):
    user = world.users[who]
    assert rules.may_see_documents(user, world.project, edition=world.edition) is default
    world.project.documents_for_investors = True
    world.project.save()
    assert rules.may_see_documents(user, world.project, edition=world.edition) is opened
    world.project.documents_for_investors = False
    world.project.save()
    person = _participant(world, who)
    if person is not None:
        services.document_access_grant(
            actor=world.arjun.user, project=world.project, participant=person
        )
    assert rules.may_see_documents(user, world.project, edition=world.edition) is granted
    if person is not None:
        services.document_access_revoke(
            actor=world.arjun.user, project=world.project, participant=person
        )
        assert rules.may_see_documents(user, world.project, edition=world.edition) is default


def test_opened_to_investors_needs_approval_for_the_edition(world):
    world.project.documents_for_investors = True
    world.project.save()
    Registration.objects.filter(participant=world.sofia).update(vetting="pending")
    assert not rules.may_see_documents(world.sofia.user, world.project, edition=world.edition)
    assert not rules.may_see_documents(world.sofia.user, world.project, edition=None)


@pytest.mark.parametrize(("who", "default", "granted", "opened"), MATRIX)
def test_download_view_matrix(world, who, default, granted, opened):
    document = add(world, "treatment.pdf", PDF)
    client = Client()
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    url = reverse("financing:document", args=[world.project.pk, document.pk])
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    if default:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    else:
        assert response.status_code == 403
    person = _participant(world, who)
    if person is not None:
        services.document_access_grant(
            actor=world.arjun.user, project=world.project, participant=person
        )
        assert client.get(url).status_code == (200 if granted else 403)


def test_download_of_another_projects_document_is_404(world):
    document = add(world, "treatment.pdf", PDF)
    other = services.project_save(
        actor=world.arjun.user,
        data=services.ProjectData(
            title="B", kind="feature", stage="development", budget=1, currency="USD"
        ),
    )
    client = Client()
    client.force_login(world.arjun.user)
    assert (
        client.get(reverse("financing:document", args=[other.pk, document.pk])).status_code == 404
    )


def test_media_route_cannot_reach_documents(world, private_dirs, settings):
    """The public MEDIA route serves MEDIA_ROOT only; documents live outside it."""
    document = add(world, "treatment.pdf", PDF)
    client = Client()
    client.force_login(world.arjun.user)
    for path in (
        document.file.name,
        f"../private/{document.file.name}",
        f"private/{document.file.name}",
    ):
        assert client.get(f"/{settings.MEDIA_URL}{path}").status_code == 404


def test_granting_the_owner_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.document_access_grant(
            actor=world.arjun.user, project=world.project, participant=world.arjun
        )
    assert exc.value.message_dict == {"participant": ["The producer sees the documents already."]}


@pytest.mark.parametrize("who", ["investor", "outsider", "claimant"])
def test_strangers_cannot_grant(world, who):
    with pytest.raises(PermissionDenied):
        services.document_access_grant(
            actor=world.users[who], project=world.project, participant=world.outsider
        )
    assert not world.project.document_viewers.exists()
