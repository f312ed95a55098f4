"""StreamField blocks shared by every page type.

Apps build their own blocks in their ``blocks.py`` on top of these; ``BaseStreamBlock`` is the
starting point of every page body (``deliberation.blocks.BodyBlock`` adds the poll block).
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Rich text features editors get everywhere: enough for a notice, nothing that breaks the layout.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline correct for screen readers."""

    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        help_text=_("Use “Section” for main parts of the page and “Subsection” inside them."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "core/blocks/heading_block.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    """An image with a caption and a text alternative for people who cannot see it."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        max_length=200,
        help_text=_(
            "Describe the image for people who cannot see it. Leave empty to use the image's "
            "own description."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image_with_caption_block.html"


class AttachmentListBlock(blocks.StructBlock):
    """Downloadable files (forms, notices as PDF, spreadsheets) with a heading."""

    heading = blocks.CharBlock(
        label=_("Heading"), required=False, default=_("Attachments"), max_length=80
    )
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"))

    class Meta:
        icon = "doc-full"
        label = _("Attachments")
        template = "core/blocks/attachment_list_block.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation, e.g. what a resident said at a meeting, with who said it."""

    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=80)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "core/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box that sends the reader somewhere: sign up, vote, read the rules."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=30)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(
        label=_("Web address"),
        required=False,
        help_text=_("Only when the link goes outside this site; otherwise choose a page."),
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "core/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": [_("Choose a page or enter a web address.")]}
            )
        return value


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page body may use."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="core/blocks/paragraph_block.html",
    )
    image = ImageWithCaptionBlock()
    attachments = AttachmentListBlock()
    table = TableBlock(
        label=_("Table"),
        table_options={
            "contextMenu": [
                "row_above",
                "row_below",
                "remove_row",
                "col_left",
                "col_right",
                "remove_col",
                "undo",
                "redo",
            ]
        },
    )
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
