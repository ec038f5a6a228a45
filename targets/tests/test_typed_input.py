"""Targets as the Department types them: counts with dots or spaces between thousands in the grid, its Excel
file and the admin, shown back the same way; campaign and indicator texts cleaned as every text is."""

import io
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from targets.forms import CampaignForm, IndicatorForm, cell_name
from targets.models import Period, Target

from .factories import CountIndicatorFactory, IndicatorFactory, QuarterFactory
from .helpers import HEADER_ROW, grid_url, post, to_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["25.000", "25000", "25 000"])
def test_a_count_target_typed_with_dots_or_spaces_is_saved_whole(world, grid, typed):
    response = post(grid, world["K1"], "save", {(world["K1"], "count"): typed})
    assert response.status_code == 302
    assert Target.objects.get(unit=world["K1"], indicator=grid["count"]).value == Decimal(25_000)


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1.50", "2.00"])
def test_a_count_target_with_a_decimal_part_is_refused(world, grid, typed):
    response = post(grid, world["K1"], "save", {(world["K1"], "count"): typed})
    assert response.status_code == 200
    [(label, message)] = response.context["error_summary"]
    assert label == f"{world['K1'].name} · {grid['count'].name}"  # the summary names the cell
    assert message.startswith(f"“{typed}” không phải là số nguyên.")
    assert not Target.objects.exists()


def test_the_grid_shows_counts_and_the_split_with_dots_between_thousands(world, grid):
    response = post(grid, world["K1"], "preview", {(world["K1"], "count"): "50.000"})
    page = response.content.decode()
    form = response.context["form"]
    assert form[cell_name("unit", world["W1"].pk, grid["count"].pk)].value() == "37.500"  # 50,000 by 300:100
    assert 'value="37.500"' in page and 'value="12.500"' in page and 'value="50.000"' in page
    assert 'type="number"' not in page

    post(grid, world["K1"], "save", {(world["K1"], "count"): "50.000"})
    page = grid["client"].get(grid_url(world["K1"], grid["quarter"])).content.decode()
    assert 'value="50.000"' in page and 'inputmode="numeric"' in page


def test_a_percentage_keeps_the_vietnamese_decimal_comma(world, grid):
    response = post(grid, world["K1"], "save", {(world["K1"], "percent"): "85,5"})
    assert response.status_code == 302
    assert Target.objects.get(unit=world["K1"]).value == Decimal("85.5")


@pytest.fixture
def excel_grid(world, personas, client):
    client.force_login(personas["province"])
    return {
        "client": client,
        "quarter": QuarterFactory(),
        "percent": IndicatorFactory(code="eid"),
        "count": CountIndicatorFactory(code="visits"),
        "Q": world["Q"],
    }


def import_counts(grid, cells: dict):
    response = grid["client"].get(reverse("targets:export") + f"?unit={grid['Q'].pk}&period={grid['quarter'].pk}")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=HEADER_ROW + 1)}
    for name, value in cells.items():
        rows[name][4].value = value
    return upload(grid, to_bytes(workbook))


def test_an_excel_count_written_as_text_with_dots_or_spaces_is_read_whole(world, excel_grid):
    response = import_counts(excel_grid, {"Thái Nguyên": "25 000", "Xã Thanh Thịnh": "1.250", "Xã Chợ Mới": 700.0})
    assert not response.context.get("import_errors")
    form = response.context["form"]
    values = {key: form[cell_name("unit", world[key].pk, excel_grid["count"].pk)].value() for key in ("Q", "K1", "K2")}
    assert values == {"Q": "25.000", "K1": "1.250", "K2": "700"}


def test_an_excel_count_with_a_decimal_part_is_refused(world, excel_grid):
    response = import_counts(excel_grid, {"Xã Thanh Thịnh": "1,5", "Xã Chợ Mới": "12.50"})
    errors = response.context["import_errors"]
    assert len(errors) == 2
    assert "“1,5” không phải là số nguyên" in errors[0] and "“12.50” không phải là số nguyên" in errors[1]


def test_campaign_and_indicator_texts_are_cleaned(world, personas):
    form = CampaignForm(
        {
            "name": unicodedata.normalize("NFD", "  Ra quân   tháng 10\u200b"),
            "unit": world["Q"].pk,
            "start": "01/10/2026",
            "end": "31/10/2026",
            "plan_number": "",
        },
        instance=Period(kind="campaign"),
        user=personas["province"],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Ra quân tháng 10"
    indicator = IndicatorForm(
        {
            "code": "x",
            "name_vi": "Chỉ tiêu\u202e",
            "name_en": "\u200b",
            "pillar": "digital_society",
            "kind": "count",
            "aggregation": "flow",
            "order": "1",
        }
    )
    assert not indicator.is_valid()
    assert "đảo chiều" in indicator.errors["name_vi"][0] and "vô hình" in indicator.errors["name_en"][0]


def test_the_admin_reads_a_target_typed_the_vietnamese_way(world, personas, client):
    client.force_login(personas["admin"])
    indicator = CountIndicatorFactory(code="visits")
    quarter = QuarterFactory()
    response = client.post(
        reverse("admin:targets_target_add"),
        {
            "indicator": indicator.pk,
            "period": quarter.pk,
            "unit": world["K1"].pk,
            "mode": "absolute",
            "value": "25.000",
            "decision_number": "",
            "decision_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Target.objects.get().value == Decimal(25_000)  # not 25
