"""Uploads an editor makes in the admin: a file that is not an image, an image too large in bytes
or in pixels, a document of a type the site does not take — each refused with a message in
Chinese and nothing stored; a proper image goes in."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from PIL import Image as PillowImage

from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, name: str, data: bytes):
    return client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, data, content_type="image/png")},
    )


def test_a_proper_image_is_accepted(client_for):
    before = get_image_model().objects.count()
    response = upload_image(client_for(EditorFactory()), "notice.png", png(640, 480))
    assert response.status_code == 302
    assert get_image_model().objects.count() == before + 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.png", b"this is not an image at all", "不是图片"),
        ("huge.png", png(8000, 6000, mode="1"), "像素"),
        ("heavy.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 1), "文件过大"),
    ],
    ids=["not an image", "too many pixels", "too many bytes"],
)
def test_bad_images_are_refused_with_a_chinese_message(client_for, name, data, message):
    before = get_image_model().objects.count()
    response = upload_image(client_for(EditorFactory()), name, data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html, html[html.find("error") :][:300]
    assert get_image_model().objects.count() == before


def test_a_document_of_another_type_is_refused(client_for):
    before = get_document_model().objects.count()
    response = client_for(EditorFactory()).post(
        "/admin/documents/add/",
        {
            "title": "工具",
            "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/x-msdownload"),
        },
    )
    assert response.status_code == 200 and "不被允许" in response.content.decode()
    assert get_document_model().objects.count() == before
