import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from targets import selectors
from targets.choices import IndicatorKind
from targets.models import Indicator
from targets.services import CATALOGUE, catalogue_seed, indicator_save

from .factories import IndicatorFactory


def test_the_catalogue_seed_is_idempotent_and_keeps_department_edits(db):
    created = catalogue_seed()
    assert len(created) == len(CATALOGUE) == 11
    percentages = {
        i.code: (i.default_target, i.default_target_high) for i in Indicator.objects.filter(kind=IndicatorKind.PERCENT)
    }
    assert percentages == {  # seed 004's levels; the citizen app's is a range, 40-50%
        "eid_level2": (85, None),
        "eid_activation": (90, None),
        "households_online_services": (80, None),
        "citizen_app": (40, 50),
        "households_digital_skills": (80, None),
    }
    # Activation is a share of the accounts issued ("90% công dân được cấp tài khoản ĐDDT mức độ 2"), not of registrations.
    assert Indicator.objects.get(code="eid_activation").denominator_indicator.code == "eid_issued"
    assert Indicator.objects.get(code="eid_level2").name_vi == "Công dân đã đăng ký định danh điện tử mức độ 2 (VNeID)"
    Indicator.objects.filter(code="citizen_app").update(default_target=50)
    assert catalogue_seed() == []
    assert Indicator.objects.get(code="citizen_app").default_target == 50


def test_the_cache_keeps_the_catalogue_until_an_indicator_is_saved(db, django_assert_num_queries):
    indicator = IndicatorFactory(code="kept", name_vi="Cũ")
    assert [i.name_vi for i in selectors.indicators_catalogue()] == ["Cũ"]
    Indicator.objects.filter(pk=indicator.pk).update(name_vi="Mới")  # no signal: as if saved by another process
    with django_assert_num_queries(0):
        assert [i.name_vi for i in selectors.indicators_catalogue()] == ["Cũ"]
    indicator.refresh_from_db()
    indicator.save()
    assert [i.name_vi for i in selectors.indicators_catalogue()] == ["Mới"]
    indicator.delete()
    assert selectors.indicators_catalogue() == []


def test_the_catalogue_is_kept_no_longer_than_its_lifetime(db, monkeypatch):
    monkeypatch.setattr(selectors, "CATALOGUE_SECONDS", 0)  # a lifetime that has always passed
    indicator = IndicatorFactory(code="kept", name_vi="Cũ")
    assert [i.name_vi for i in selectors.indicators_catalogue()] == ["Cũ"]
    Indicator.objects.filter(pk=indicator.pk).update(name_vi="Mới")
    assert [i.name_vi for i in selectors.indicators_catalogue()] == ["Mới"]


def test_the_name_follows_the_language(db):
    indicator = IndicatorFactory(name_vi="Hộ gia đình", name_en="Households")
    with translation.override("vi"):
        assert str(indicator) == "Hộ gia đình"
    with translation.override("en"):
        assert str(indicator) == "Households"


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"kind": IndicatorKind.PERCENT, "denominator_field": ""}, "denominator_field"),
        (
            {"kind": IndicatorKind.COUNT, "denominator_field": "", "denominator_indicator_code": "base"},
            "denominator_indicator",
        ),
        ({"kind": IndicatorKind.PERCENT, "default_target": 120}, "default_target"),
    ],
)
def test_indicator_rules(db, fields, error_field):
    base = IndicatorFactory(code="base")
    fields = dict(fields)
    if fields.pop("denominator_indicator_code", None):
        fields["denominator_indicator"] = base
    indicator = IndicatorFactory.build(**fields)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert error_field in error.value.message_dict


INDICATOR_DATA = {
    "code": "zalo_groups",
    "name_vi": "Nhóm Zalo thôn",
    "name_en": "Village Zalo groups",
    "pillar": "team_activity",
    "kind": "count",
    "denominator_field": "",
    "aggregation": "stock",
    "default_target": "",
    "order": "5",
    "is_active": "on",
}


def test_a_system_administrator_adds_and_edits_an_indicator(personas, client):
    client.force_login(personas["admin"])
    data = dict(INDICATOR_DATA)
    assert client.post(reverse("targets:indicator_create"), data).status_code == 302
    indicator = Indicator.objects.get(code="zalo_groups")
    data["name_vi"] = "Nhóm Zalo của thôn"
    assert client.post(reverse("targets:indicator_edit", args=[indicator.pk]), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.name_vi == "Nhóm Zalo của thôn"
    assert indicator.history.count() == 2
    page = client.get(reverse("targets:indicator_list") + "?kind=count")
    assert list(page.context["page"]) == [indicator]


def test_a_percentage_without_denominator_is_refused_on_the_page(personas, client):
    client.force_login(personas["admin"])
    data = {
        "code": "x",
        "name_vi": "X",
        "name_en": "X",
        "pillar": "digital_society",
        "kind": "percent",
        "denominator_field": "",
        "aggregation": "stock",
        "order": "0",
    }
    response = client.post(reverse("targets:indicator_create"), data)
    assert response.status_code == 200 and "denominator_field" in response.context["form"].errors
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("persona", ["province", "outsider"])
def test_province_staff_read_the_national_catalogue_but_cannot_change_it(personas, client, persona):
    indicator = IndicatorFactory(code="eid", name_vi="Định danh", is_active=True)
    client.force_login(personas[persona])
    listing = client.get(reverse("targets:indicator_list"))
    assert listing.status_code == 200 and list(listing.context["page"]) == [indicator]
    assert reverse("targets:indicator_create") not in listing.content.decode()
    page = client.get(reverse("targets:indicator_edit", args=[indicator.pk]))
    assert page.status_code == 200
    assert all(field.disabled for field in page.context["form"].fields.values())
    assert page.context["can_edit_catalogue"] is False  # no form to post, no save button

    edit = {**INDICATOR_DATA, "code": "eid", "name_vi": "Đổi tên"}
    deactivate = {key: value for key, value in edit.items() if key != "is_active"}
    for data in (edit, deactivate):
        assert client.post(reverse("targets:indicator_edit", args=[indicator.pk]), data).status_code == 404
    assert client.post(reverse("targets:indicator_create"), INDICATOR_DATA).status_code == 404
    indicator.refresh_from_db()
    assert (indicator.name_vi, indicator.is_active) == ("Định danh", True)
    assert list(Indicator.objects.all()) == [indicator] and indicator.history.count() == 1


def test_the_service_refuses_catalogue_changes_from_anyone_but_a_system_administrator(personas):
    indicator = IndicatorFactory(code="eid", is_active=True)
    indicator.is_active = False
    for persona in ("province", "district", "commune", "leader"):
        with pytest.raises(ValidationError, match="system administrators"), translation.override("en"):
            indicator_save(user=personas[persona], indicator=indicator)
    assert Indicator.objects.get(pk=indicator.pk).is_active
    indicator_save(user=personas["admin"], indicator=indicator)
    assert not Indicator.objects.get(pk=indicator.pk).is_active


def test_the_data_migration_brings_a_seeded_catalogue_in_line_with_seed_004(db):
    """A catalogue seeded before 0003 (old e-ID name, activation over registrations, the range in the source)
    is corrected; an administrator's own edits are kept."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("targets.migrations.0003_seed_004_indicator_definitions")
    catalogue_seed()
    registered = Indicator.objects.get(code="eid_level2")
    Indicator.objects.filter(pk=registered.pk).update(name_vi=migration.OLD_EID_NAME)
    Indicator.objects.filter(code="eid_activation").update(denominator_indicator=registered)
    Indicator.objects.filter(code="eid_issued").delete()
    Indicator.objects.filter(code="citizen_app").update(default_target_high=None, source=migration.OLD_APP_SOURCE)

    migration.forwards(apps, None)
    assert Indicator.objects.get(code="eid_level2").name_vi == "Công dân đã đăng ký định danh điện tử mức độ 2 (VNeID)"
    issued = Indicator.objects.get(code="eid_issued")
    assert (issued.kind, issued.aggregation, issued.denominator_field) == ("count", "stock", "eid_eligible")
    assert Indicator.objects.get(code="eid_activation").denominator_indicator == issued
    app = Indicator.objects.get(code="citizen_app")
    assert (app.default_target, app.default_target_high, app.source) == (40, 50, migration.SEED_004)
    migration.forwards(apps, None)  # twice: nothing more
    assert Indicator.objects.filter(code="eid_issued").count() == 1

    Indicator.objects.filter(code="eid_level2").update(name_vi="Tên do Sở sửa")
    Indicator.objects.filter(code="citizen_app").update(
        default_target_high=None, default_target=45, source=migration.OLD_APP_SOURCE
    )
    migration.forwards(apps, None)
    assert Indicator.objects.get(code="eid_level2").name_vi == "Tên do Sở sửa"
    assert Indicator.objects.get(code="citizen_app").default_target_high is None


def test_a_default_range_needs_its_bottom_below_its_top(db):
    indicator = IndicatorFactory(kind=IndicatorKind.COUNT, default_target=50, default_target_high=40)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "default_target_high" in error.value.message_dict
