"""Importing the household register: UTF-8 or GBK, and a bad row stops everything."""

from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from community.models import Household

pytestmark = pytest.mark.django_db


def run(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_households", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_gbk_register_with_chinese_headers_imports(db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(
        "楼栋,单元,房号,面积,业主编号\n7号楼,1单元,101,88.5,\n7号楼,1单元,102,90,开发商\n".encode(
            "gbk"
        )
    )
    out, _ = run(path)
    assert "2" in out
    assert Household.objects.get(building__name="7号楼", room="101").floor_area == Decimal("88.50")
    assert Household.objects.get(building__name="7号楼", room="102").owner_ref == "开发商"


def test_importing_again_updates_instead_of_duplicating(db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("building,unit,room,floor_area\n7号楼,,201,70\n", encoding="utf-8-sig")
    run(path)
    path.write_text("building,unit,room,floor_area\n7号楼,,201,72.3\n", encoding="utf-8-sig")
    run(path)
    assert Household.objects.filter(building__name="7号楼", room="201").count() == 1
    assert Household.objects.get(building__name="7号楼", room="201").floor_area == Decimal("72.30")


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(db, tmp_path):
    before = Household.objects.count()
    path = tmp_path / "register.csv"
    path.write_text(
        "楼栋,房号,面积\n8号楼,101,80\n8号楼,,80\n8号楼,103,八十\n8号楼,101,81\n", encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported|没有导入"):
        call_command("import_households", str(path), stdout=StringIO(), stderr=err)
    problems = err.getvalue()
    assert "3" in problems and "4" in problems and "5" in problems
    assert "八十" in problems
    assert Household.objects.count() == before


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary", "房号\n101\n".encode(), "楼栋,房号\n".encode()],
)
def test_unusable_files_import_nothing(db, tmp_path, content):
    path = tmp_path / "register.csv"
    path.write_bytes(content)
    before = Household.objects.count()
    with pytest.raises(CommandError):
        call_command("import_households", str(path), stdout=StringIO(), stderr=StringIO())
    assert Household.objects.count() == before


@pytest.mark.parametrize(
    "row, expected",
    [
        ("楼" * 300 + ",101,80", "第 2 行：楼栋 超过 20 个字"),
        ("1号楼,101,999999.999", "第 2 行：“999999.999”：面积最多保留 2 位小数"),
        ("1号楼,101,1000000", "第 2 行：“1000000”：面积必须小于 1,000,000 平方米"),
        ("1号楼,101,0", "第 2 行：“0”：面积必须大于 0 平方米"),
        ("1号楼,101,-5", "第 2 行：面积“-5”不是以平方米计的数字"),
        ("1号楼," + "1" * 21 + ",80", "第 2 行：房号 超过 20 个字"),
    ],
    ids=["long-building", "three-decimals", "a-million", "zero", "negative", "long-room"],
)
def test_a_value_the_register_cannot_hold_is_reported_and_nothing_is_imported(
    db, tmp_path, row, expected
):
    """The same on SQLite (which would store it) and PostgreSQL (which would refuse it)."""
    before = Household.objects.count()
    path = tmp_path / "register.csv"
    path.write_text(f"楼栋,房号,面积\n2号楼,100,80\n{row}\n", "utf-8")  # the row is line 3
    err = StringIO()
    with pytest.raises(CommandError, match="没有导入"):
        call_command("import_households", str(path), stdout=StringIO(), stderr=err)
    assert expected.replace("第 2", "第 3") in err.getvalue()
    assert Household.objects.count() == before


def test_the_largest_area_the_register_holds_imports(db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("楼栋,房号,面积\n2号楼,100,999999.99\n", "utf-8")
    run(path)
    assert Household.objects.get(room="100").floor_area == Decimal("999999.99")
