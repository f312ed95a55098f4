"""Import the household register from a CSV file (UTF-8 or GBK, as spreadsheets save it).

    python manage.py import_households FILE.csv

Columns, by header (Chinese or English, in any order): 楼栋/building, 单元/unit (optional),
房号/room, 面积/floor_area (optional, m²), 业主编号/owner_ref (optional), 网格/grid (optional:
the grid the building belongs to, created if new). Existing households (same building, unit and
room) are updated. The whole file is checked first: if any row is bad, every problem is reported
with its line number and nothing is imported.

Registers come as 物业 systems and Excel export them: areas with a unit (89.5㎡, 89.5平方米,
89.5m²) or a thousands separator (1,020.50), full-width digits (９０.２), stray spaces and blank
trailing rows are read as meant; one building written several ways (3栋, 3号楼, ３号楼, 三号楼)
is one building, under the first spelling the register uses.
"""

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from community.models import Building, Grid, Household
from community.names import building_key, clean
from core.encoding import UnreadableText, decode_text, fold_width

COLUMNS = {
    "building": {"building", "楼栋", "楼号", "幢"},
    "unit": {"unit", "单元"},
    "room": {"room", "房号", "室"},
    "floor_area": {"floor_area", "area", "面积", "建筑面积", "专有面积"},
    "owner_ref": {"owner_ref", "owner", "业主编号"},
    "grid": {"grid", "网格"},
}
# The longest each field may be, from the model (PostgreSQL refuses longer ones, SQLite would
# store them): every row is checked against these before anything is saved.
MAX_LENGTHS = {
    "building": Building._meta.get_field("name").max_length,
    "unit": Household._meta.get_field("unit").max_length,
    "room": Household._meta.get_field("room").max_length,
    "owner_ref": Household._meta.get_field("owner_ref").max_length,
    "grid": Grid._meta.get_field("name").max_length,
}
_AREA = Household._meta.get_field("floor_area")
AREA_DECIMALS = _AREA.decimal_places
AREA_LIMIT = Decimal(10) ** (_AREA.max_digits - _AREA.decimal_places)  # 1,000,000 m²
AREA_UNITS = re.compile(r"(㎡|m²|m2|平方米|平米|平方)$", re.IGNORECASE)


class BadArea(ValueError):
    """An area the register may not hold, with the reason in the reader's language."""


def read_area(text: str) -> Decimal:
    """89.5㎡, 89.5平方米, 1,020.50, ９０.２ → a Decimal; InvalidOperation when it is no number,
    BadArea when it is a number the register may not hold (0, three decimals, a million m²)."""
    value = AREA_UNITS.sub("", fold_width(text).replace(" ", "")).strip()
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        raise InvalidOperation
    area = Decimal(value)
    if area <= 0:
        raise BadArea(_("the floor area must be more than 0 m²"))
    if area.as_tuple().exponent < -AREA_DECIMALS:
        raise BadArea(
            _("the floor area may have at most %(places)s decimals") % {"places": AREA_DECIMALS}
        )
    if area >= AREA_LIMIT:
        raise BadArea(
            _("the floor area must be less than %(limit)s m²") % {"limit": f"{AREA_LIMIT:,}"}
        )
    return area


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
    spellings: dict[str, tuple[str, int]] = {}  # building key → (first spelling, its line)
    grids: dict[str, tuple[str, int]] = {}  # building key → (grid, its line)
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        row = {
            column: (values[index].strip() if index < len(values) else "")
            for column, index in positions.items()
        }
        row.setdefault("unit", "")
        for column in ("unit", "room"):
            row[column] = clean(row[column])
        for column, limit in MAX_LENGTHS.items():
            if len(row.get(column, "")) > limit:
                problems.append(
                    _("Line %(line)s: %(column)s is longer than %(limit)s characters.")
                    % {"line": line, "column": header[positions[column]].strip(), "limit": limit}
                )
        for column in REQUIRED:
            if not row[column]:
                problems.append(
                    _("Line %(line)s: %(column)s is empty.")
                    % {"line": line, "column": header[positions[column]].strip()}
                )
        area = row.get("floor_area", "")
        if area:
            try:
                row["floor_area"] = read_area(area)
            except InvalidOperation:
                problems.append(
                    _("Line %(line)s: the floor area “%(value)s” is not a number of m².")
                    % {"line": line, "value": area}
                )
            except BadArea as exc:
                problems.append(
                    _("Line %(line)s: “%(value)s”: %(reason)s.")
                    % {"line": line, "value": area, "reason": exc}
                )
        else:
            row["floor_area"] = None
        building = building_key(row["building"])
        spelling = spellings.setdefault(building, (row["building"], line))
        grid = row.get("grid", "")
        if grid and grids.setdefault(building, (grid, line))[0] != grid:
            problems.append(
                _("Line %(line)s puts %(building)s in grid “%(grid)s”, "
                  "line %(first)s in “%(other)s”.")
                % {"line": line, "building": row["building"], "grid": grid,
                   "first": grids[building][1], "other": grids[building][0]}
            )  # fmt: skip
        row["building"] = spelling[0]
        key = (building, row["unit"], row["room"])
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
        buildings: dict[str, Building] = {}
        for row in rows:
            key = building_key(row["building"])
            if key not in buildings:
                building = Building.objects.filter(key=key).first()
                if building is None:
                    building = Building(name=row["building"])
                    building.save()
                buildings[key] = building
            building = buildings[key]
            if (
                row.get("grid")
                and building.grid_id is None
                or (row.get("grid") and building.grid.name != row["grid"])
            ):
                building.grid, _ = Grid.objects.get_or_create(name=row["grid"])
                building.save(update_fields=["grid"])
            _household, was_created = Household.objects.update_or_create(
                building=building,
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
        try:
            created, updated = save_register(rows)
        except DatabaseError as exc:  # the checks above should leave nothing for the database
            raise CommandError(
                _("Nothing was imported: the database refused the register (%(reason)s).")
                % {"reason": exc}
            ) from None
        self.stdout.write(
            _("%(created)s households added, %(updated)s updated.")
            % {"created": created, "updated": updated}
        )
