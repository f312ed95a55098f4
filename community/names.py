"""Building, unit and room names as residents and registers write them.

物业 systems and spreadsheets write the same building as 3栋, 3号楼, ３号楼, 三号楼 or " 3号楼 ";
they are one building. ``building_key`` gives every spelling of one building the same key; the
register keeps the first spelling it saw as the building's name.
"""

import re

from core.encoding import fold_width

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
BUILDING_SUFFIXES = ("号楼", "号", "栋", "幢", "座", "楼")
NUMBERED = re.compile(
    r"^(?P<number>[0-9]+|[零〇一二两三四五六七八九十百]+)(?P<suffix>号楼|号|栋|幢|座|楼)?$"
)


def clean(text: str) -> str:
    """Full-width letters and digits made plain, and every space removed."""
    return re.sub(r"\s+", "", fold_width(text or ""))


def chinese_number(text: str) -> int | None:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105; None when it is not a number."""
    if text.isascii():
        return int(text) if re.fullmatch(r"[0-9]+", text) else None
    total, current = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def building_key(name: str) -> str:
    """The same key for every spelling of one building: "3栋", "3号楼", "３号楼", "三号楼" → "3"."""
    text = clean(name)
    match = NUMBERED.match(text)
    if match:
        number = chinese_number(match["number"])
        if number is not None:
            return str(number)
    return text.lower()
