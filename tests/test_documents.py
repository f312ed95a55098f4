"""Documents are served only by Wagtail's document view, with their collection's restrictions:
a document in a restricted collection is refused to an anonymous visitor by every address that
could reach it, and a public document is sent as an attachment the browser may not sniff.
/media/ serves images and their renditions only."""

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import Collection, CollectionViewRestriction

import pytest

from home.roles import MODERATORS
from tests.factories import DocumentFactory, ImageFactory, ResidentFactory

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.4 minutes of the closed meeting"


def _collection(name: str, restriction_type: str, **fields) -> Collection:
    collection = Collection.get_first_root_node().add_child(name=name)
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=restriction_type, **fields
    )
    if restriction_type == CollectionViewRestriction.GROUPS:
        restriction.groups.set(Group.objects.filter(name=MODERATORS))
    return collection


def _addresses(document) -> list[str]:
    """Every address that could reach the document's file."""
    name = document.file.name  # e.g. documents/secret.pdf
    return [
        document.url,
        f"/documents/{document.pk}/{document.filename}",
        f"/{name}",
        f"/media/{name}",
        "/media/documents/secret.pdf",  # the name it was uploaded under
        f"/media/{name.upper()}",
        f"/media//{name}",
        f"/media/./{name}",
        f"/media/images/../{name}",
        f"/media/original_images/../{name}",
        f"/media/original_images/%2e%2e/{name}",
        "/media/documents/",
        "/media/",
    ]


@pytest.mark.parametrize(
    "restriction_type, fields",
    [
        (CollectionViewRestriction.LOGIN, {}),
        (CollectionViewRestriction.PASSWORD, {"password": "secret-word"}),
        (CollectionViewRestriction.GROUPS, {}),
    ],
    ids=["login", "password", "groups"],
)
def test_a_document_in_a_restricted_collection_is_refused_anonymously_everywhere(
    restriction_type, fields
):
    collection = _collection("内部文件", restriction_type, **fields)
    document = DocumentFactory(
        collection=collection, file__filename="secret.pdf", file__data=SECRET
    )
    client = Client()
    for address in _addresses(document):
        response = client.get(address)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body, address
        if response.status_code == 200:  # only the password-restriction's form
            assert restriction_type == CollectionViewRestriction.PASSWORD, address
            assert response["Content-Type"].startswith("text/html"), address
        else:
            assert response.status_code in (302, 404), (address, response.status_code)


def test_a_signed_in_resident_gets_a_sign_in_restricted_document():
    collection = _collection("居民文件", CollectionViewRestriction.LOGIN)
    document = DocumentFactory(collection=collection, file__data=SECRET)
    client = Client()
    client.force_login(ResidentFactory())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET
    # ...but still not from /media/
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.parametrize(
    "filename, data",
    [("form.pdf", b"%PDF-1.4 test"), ("list.txt", b"<script>alert(1)</script>")],
)
def test_a_public_document_is_sent_as_an_attachment_that_is_not_sniffed(filename, data):
    document = DocumentFactory(file__filename=filename, file__data=data)
    response = Client().get(document.url)
    assert document.url.startswith(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data
    assert Client().get(f"/media/{document.file.name}").status_code == 404


def test_media_still_serves_images_and_their_renditions():
    image = ImageFactory()
    assert Client().get(f"/media/{image.file.name}").status_code == 200
    rendition = image.get_rendition("fill-60x40")
    assert Client().get(rendition.url).status_code == 200
