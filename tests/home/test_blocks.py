"""Every shared StreamField block renders what a reader needs and refuses an editor's mistake."""

from django.test import Client

from wagtail import blocks

import pytest

from core.blocks import CallToActionBlock
from home.models import StandardPage
from tests.factories import DocumentFactory, ImageFactory, StandardPageFactory
from tests.html import PageReader

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_with_every_block(db):
    image = ImageFactory(title="幸福里社区横幅")
    document = DocumentFactory(title="停车登记表", file__filename="parking-form.pdf")
    guide = StandardPageFactory(title="办事指南", slug="guide")
    page = StandardPage(
        title="区块示例",
        slug="blocks",
        body=[
            ("heading", {"text": "小节标题", "level": "h3"}),
            ("paragraph", "<p>一段<b>正文</b>。</p>"),
            ("image", {"image": image, "alt_text": "小区楼房插图", "caption": "幸福里全景"}),
            ("attachments", {"heading": "下载", "documents": [document]}),
            ("quote", {"text": "有事好商量。", "attribution": "老周"}),
            (
                "call_to_action",
                {
                    "heading": "去议事厅",
                    "text": "",
                    "button_label": "参与",
                    "page": guide,
                    "url": "",
                },
            ),
        ],
    )
    guide.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_every_block_renders_for_readers(page_with_every_block):
    html = Client().get("/guide/blocks/").content.decode()
    reader = PageReader(html)
    assert any(h.text == "小节标题" for h in reader.find_all("h3"))
    assert "<b>正文</b>" in html
    figure_images = [img for img in reader.find_all("img") if img.get("alt") == "小区楼房插图"]
    assert figure_images and figure_images[0].get("loading") == "lazy"
    assert "幸福里全景" in html
    downloads = [a for a in reader.find_all("a") if a.text.strip() == "停车登记表"]
    assert downloads and downloads[0].get("href").startswith("/documents/")
    assert "(PDF" in html
    assert "有事好商量。" in html and "老周" in html
    assert any(a.get("href") == "/guide/" and a.text == "参与" for a in reader.find_all("a"))


def test_call_to_action_needs_a_page_or_an_address():
    block = CallToActionBlock()
    value = block.to_python({"heading": "报名", "button_label": "报名", "page": None, "url": ""})
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(value)
