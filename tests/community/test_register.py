"""The register of the community: buildings by any spelling, grids with their grid workers, flats
imported as 物业 systems export them, and claims that state how a resident lives in a flat."""

from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client

import pytest

from community.models import Building, Grid, Household, Relation, Residency, ResidencyStatus
from community.names import building_key
from tests.factories import (
    BuildingFactory,
    GridFactory,
    GridWorkerFactory,
    HouseholdFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("spelling", ["3栋", "3号楼", "３号楼", "三号楼", " 3号楼 ", "3幢", "3"])
def test_every_spelling_of_a_building_has_one_key(spelling):
    assert building_key(spelling) == "3"


def test_numbers_past_ten_and_names_without_a_number_keep_apart():
    assert building_key("十二号楼") == building_key("12栋") == "12"
    assert building_key("二十号楼") == "20"
    assert building_key("东区商铺") == "东区商铺"
    assert building_key("1号楼") != building_key("11号楼")
    assert building_key("²号楼") == "²号楼"  # a superscript is no building number


def import_register(tmp_path, text: str, encoding="utf-8") -> str:
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode(encoding))
    out = StringIO()
    call_command("import_households", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_register_as_excel_exports_it_imports_as_meant(tmp_path):
    import_register(
        tmp_path,
        "楼栋,单元,房号,面积,业主编号\n"
        "3栋,1单元, 101 ,89.5㎡,\n"
        '３号楼,1单元,102,"1,020.50",\n'
        "三号楼,1单元,103,９０.２,\n"
        " 3号楼 ,1单元,104,89.5平方米,\n"
        "3号楼,1单元,105,89.5m²,\n"
        ",,,,\n,,,,\n",
    )
    building = Building.objects.get()
    assert building.name == "3栋"
    areas = dict(building.households.values_list("room", "floor_area"))
    assert areas == {
        "101": Decimal("89.50"),
        "102": Decimal("1020.50"),
        "103": Decimal("90.20"),
        "104": Decimal("89.50"),
        "105": Decimal("89.50"),
    }


def test_an_import_joins_the_buildings_already_in_the_register(tmp_path):
    existing = BuildingFactory(name="5号楼")
    import_register(tmp_path, "楼栋,房号\n五号楼,201\n5栋,202\n")
    assert Building.objects.count() == 1
    assert existing.households.count() == 2


def test_a_grid_column_creates_the_grid_and_puts_the_building_in_it(tmp_path):
    import_register(
        tmp_path, "楼栋,房号,网格\n1号楼,101,第一网格\n1号楼,102,第一网格\n2号楼,101,\n"
    )
    grid = Grid.objects.get(name="第一网格")
    assert list(grid.buildings.values_list("name", flat=True)) == ["1号楼"]
    assert Building.objects.get(name="2号楼").grid is None


def test_a_building_in_two_grids_is_refused_with_both_lines(tmp_path):
    with pytest.raises(CommandError):
        path = tmp_path / "register.csv"
        path.write_text(
            "楼栋,房号,网格\n1号楼,101,第一网格\n一号楼,102,第二网格\n", encoding="utf-8"
        )
        err = StringIO()
        try:
            call_command("import_households", str(path), stdout=StringIO(), stderr=err)
        finally:
            problems = err.getvalue()
    assert "3" in problems and "2" in problems and "第二网格" in problems
    assert not Household.objects.exists() and not Grid.objects.exists()


@pytest.mark.parametrize(
    "row", ["1号楼,101,89.5亩", "1号楼,101,²", "1号楼,101,-5", "1号楼," + "1" * 30 + ",80"]
)
def test_a_bad_area_or_an_overlong_room_is_refused_with_its_line(tmp_path, row):
    path = tmp_path / "register.csv"
    path.write_text("楼栋,房号,面积\n1号楼,100,80\n" + row + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_households", str(path), stdout=StringIO(), stderr=err)
    assert "3" in err.getvalue()
    assert not Household.objects.exists()


def test_moderators_create_buildings_and_grids_and_assign_grid_workers_in_the_admin():
    moderator = ModeratorFactory()
    worker = GridWorkerFactory(display_name="网格员小李")
    admin = signed_in(moderator)

    response = admin.post(
        "/admin/snippets/community/grid/add/", {"name": "第一网格", "workers": [worker.pk]}
    )
    assert response.status_code == 302
    grid = Grid.objects.get(name="第一网格")
    assert list(grid.workers.all()) == [worker]

    response = admin.post(
        "/admin/snippets/community/building/add/",
        {"name": "7号楼", "grid": grid.pk, "sort_order": 7},
    )
    assert response.status_code == 302
    assert Building.objects.get(name="7号楼").grid == grid

    listing = signed_in(worker).get("/admin/snippets/community/grid/")
    assert listing.status_code == 200 and "第一网格" in listing.content.decode()


def test_grid_workers_see_the_register_but_cannot_change_it():
    worker = GridWorkerFactory()
    grid = GridFactory()
    client = signed_in(worker)
    assert client.get("/admin/snippets/community/building/").status_code == 200
    assert client.get("/admin/snippets/community/residency/").status_code in (302, 403)
    response = client.post(f"/admin/snippets/community/grid/edit/{grid.pk}/", {"name": "改名"})
    assert response.status_code in (302, 403)
    grid.refresh_from_db()
    assert grid.name != "改名"


def test_a_claim_records_how_the_resident_lives_in_the_flat():
    flat = HouseholdFactory(building="1号楼", unit="1单元", room="101")
    tenant = UserFactory()
    client = signed_in(tenant)
    response = client.post(
        "/accounts/household/",
        {"building": "1号楼", "unit": "1单元", "room": "101", "relation": Relation.TENANT},
        follow=True,
    )
    claim = Residency.objects.get(user=tenant)
    assert claim.household == flat and claim.relation == Relation.TENANT
    assert claim.status == ResidencyStatus.PENDING
    assert "租户" in response.content.decode()


def test_a_moderator_confirms_a_claim_with_its_relation():
    flat = HouseholdFactory()
    claim = Residency.objects.create(user=UserFactory(), household=flat, relation=Relation.OWNER)
    moderator = ModeratorFactory()
    response = signed_in(moderator).post(f"/admin/community/claims/{claim.pk}/verify/")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.VERIFIED and claim.decided_by == moderator
    assert claim.relation == Relation.OWNER
