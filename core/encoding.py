"""Reading uploaded or imported text files whatever encoding a Chinese office saved them in."""

import unicodedata

from django.utils.translation import gettext as _

ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


# Full-width ASCII (０-９, Ａ-Ｚ, ，．…) and the ideographic space, as Chinese input methods type
# them, folded to plain ASCII. Unlike NFKC it leaves "²" and "½" alone: they are not digits.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """ "９０.２" → "90.2", "３号楼" → "3号楼"; everything else as it was."""
    return text.translate(FULL_WIDTH)


class UnreadableText(Exception):
    """The bytes are not text we can read; the message says why, for the person importing."""


def decode_text(data: bytes, max_bytes: int = 5 * 1024 * 1024) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK and GB2312) text; refuses
    empty, oversized and binary files."""
    if not data.strip():
        raise UnreadableText(_("The file is empty."))
    if len(data) > max_bytes:
        raise UnreadableText(
            _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    if b"\x00" in data[:4096]:
        raise UnreadableText(_("The file is binary (not text); it cannot be imported."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text.translate(ZERO_WIDTH)
    raise UnreadableText(
        _("The file is neither UTF-8 nor GBK/GB18030 text, so its characters cannot be read.")
    )


def _looks_like_text(text: str) -> bool:
    control = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    return control <= max(2, len(text) // 200)
