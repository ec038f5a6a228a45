import pytest
from django.core.management import CommandError, call_command

from units.choices import DivisionType, Edition, Level
from units.models import Unit
from units.services import admin_units_load


def counts(edition):
    return {level: Unit.objects.filter(edition=edition, level=level).count() for level in Level.values}


@pytest.mark.django_db
def test_whole_country_counts_and_rerun_changes_nothing():
    call_command("load_admin_units", "--edition", "2025")
    call_command("load_admin_units", "--edition", "2024")
    assert counts(Edition.REFORMED) == {"province": 34, "district": 0, "commune": 3321, "village": 0}
    assert counts(Edition.PRE_REFORM) == {"province": 63, "district": 696, "commune": 10051, "village": 0}
    # The five island districts without communes are there, childless.
    island_districts = Unit.objects.filter(edition=Edition.PRE_REFORM, level=Level.DISTRICT, children__isnull=True)
    assert sorted(island_districts.values_list("code", flat=True)) == ["318", "471", "498", "536", "755"]

    before = list(Unit.objects.order_by("pk").values_list("pk", "name", "parent_id", "path", "division_type"))
    result = admin_units_load(edition=Edition.REFORMED)
    assert not result.created and not result.updated
    assert result.unchanged == {"province": 34, "commune": 3321}
    assert list(Unit.objects.order_by("pk").values_list("pk", "name", "parent_id", "path", "division_type")) == before


@pytest.mark.django_db
def test_codes_types_and_tree_on_both_editions():
    admin_units_load(edition=Edition.PRE_REFORM, province_codes=["51"])
    admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    mo_duc = Unit.objects.get(edition=Edition.PRE_REFORM, level=Level.DISTRICT, code="533")
    assert mo_duc.name == "Huyện Mộ Đức" and mo_duc.division_type == DivisionType.RURAL_DISTRICT
    assert mo_duc.parent.code == "51" and mo_duc.valid_to.isoformat() == "2025-06-30"
    township = Unit.objects.get(edition=Edition.PRE_REFORM, level=Level.COMMUNE, name="Thị trấn Mộ Đức")
    assert township.parent == mo_duc and township.division_type == DivisionType.TOWNSHIP
    assert len(township.code) == 5 and township.path == f"{mo_duc.path}{township.pk}/"
    # Reformed map: communes sit directly under the province, codes zero-padded.
    thanh_thinh = Unit.objects.get(edition=Edition.REFORMED, level=Level.COMMUNE, code="02107")
    assert thanh_thinh.name == "Xã Thanh Thịnh" and thanh_thinh.parent.code == "19"
    assert thanh_thinh.parent.level == Level.PROVINCE and thanh_thinh.valid_from.isoformat() == "2025-07-01"
    assert not Unit.objects.filter(edition=Edition.REFORMED, level=Level.DISTRICT).exists()


@pytest.mark.django_db
def test_rename_in_a_new_list_updates_in_place():
    admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    unit = Unit.objects.get(edition=Edition.REFORMED, code="02107", level=Level.COMMUNE)
    Unit.objects.filter(pk=unit.pk).update(name="Tên cũ")
    result = admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    assert result.updated == {"commune": 1}
    unit.refresh_from_db()
    assert unit.name == "Xã Thanh Thịnh"


@pytest.mark.django_db
def test_the_loader_fills_and_keeps_the_search_name():
    """The loader writes in bulk (no Unit.save()): it sets the accent-free name the picker searches itself."""
    admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    assert Unit.objects.get(edition=Edition.REFORMED, code="02107", level=Level.COMMUNE).search_name == "xa thanh thinh"
    assert not Unit.objects.filter(search_name="").exists()
    Unit.objects.filter(code="02107").update(search_name="stale")
    admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    assert Unit.objects.get(edition=Edition.REFORMED, code="02107", level=Level.COMMUNE).search_name == "xa thanh thinh"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--edition", "2026"], "Không có giai đoạn danh mục 2026: chọn một trong 2024, 2025."),
        (["--edition", "2025", "--province", "19", "99"], "Không có mã tỉnh trong danh mục 2025: 99."),
        (["--edition", "2024", "--province", "00"], "Không có mã tỉnh trong danh mục 2024: 00."),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(args, message):
    with pytest.raises(CommandError) as error:
        call_command("load_admin_units", *args)
    assert str(error.value) == message
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_failure_mid_load_leaves_nothing_behind(monkeypatch):
    from units import services

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "units_rebuild_paths", explode)
    with pytest.raises(RuntimeError):
        admin_units_load(edition=Edition.REFORMED, province_codes=["19"])
    assert not Unit.objects.exists()
