"""Import the household register from a CSV file (UTF-8 or GBK, as spreadsheets save it).

    python manage.py import_households FILE.csv

Columns, by header (Chinese or English, in any order): 楼栋/building, 单元/unit (optional),
房号/room, 面积/floor_area (optional, m²), 业主编号/owner_ref (optional). Existing households
(same building, unit and room) are updated. The whole file is checked first: if any row is bad,
every problem is reported with its line number and nothing is imported.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from deliberation.models import Household
from home.encoding import UnreadableText, decode_text

COLUMNS = {
    "building": {"building", "楼栋", "楼号", "幢"},
    "unit": {"unit", "单元"},
    "room": {"room", "房号", "室"},
    "floor_area": {"floor_area", "area", "面积", "建筑面积", "专有面积"},
    "owner_ref": {"owner_ref", "owner", "业主编号"},
}
REQUIRED = ("building", "room")


def read_register(data: bytes) -> tuple[list[dict], list[str]]:
    """The rows of a register file, and every problem found (empty when the file is clean)."""
    try:
        text = decode_text(data)
    except UnreadableText as exc:
        return [], [str(exc)]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        for column, names in COLUMNS.items():
            if name.strip().lower() in names:
                positions[column] = index
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        return [], [
            _("Line 1: the header needs the columns %(columns)s.")
            % {"columns": "、".join(f"{sorted(COLUMNS[c])[-1]}/{c}" for c in missing)}
        ]
    rows, problems, seen = [], [], {}
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        row = {
            column: (values[index].strip() if index < len(values) else "")
            for column, index in positions.items()
        }
        row.setdefault("unit", "")
        for column in REQUIRED:
            if not row[column]:
                problems.append(
                    _("Line %(line)s: %(column)s is empty.") % {"line": line, "column": column}
                )
        area = row.get("floor_area", "")
        if area:
            try:
                row["floor_area"] = Decimal(area)
                if row["floor_area"] < 0 or row["floor_area"] >= Decimal("1000000"):
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    _("Line %(line)s: the floor area “%(value)s” is not a number of m².")
                    % {"line": line, "value": area}
                )
        else:
            row["floor_area"] = None
        key = (row["building"], row["unit"], row["room"])
        if key in seen:
            problems.append(
                _("Line %(line)s repeats the household of line %(first)s.")
                % {"line": line, "first": seen[key]}
            )
        seen[key] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(_("The file has a header but no households."))
    return rows, problems


def save_register(rows: list[dict]) -> tuple[int, int]:
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _household, was_created = Household.objects.update_or_create(
                building=row["building"],
                unit=row["unit"],
                room=row["room"],
                defaults={"floor_area": row["floor_area"], "owner_ref": row.get("owner_ref", "")},
            )
            created += was_created
            updated += not was_created
    return created, updated


class Command(BaseCommand):
    help = "Import households from a CSV register (UTF-8 or GBK); nothing is saved if a row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(
                _("The file could not be read: %(reason)s") % {"reason": exc.strerror}
            ) from None
        rows, problems = read_register(data)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(_("Nothing was imported: correct the file and try again."))
        created, updated = save_register(rows)
        self.stdout.write(
            _("%(created)s households added, %(updated)s updated.")
            % {"created": created, "updated": updated}
        )
