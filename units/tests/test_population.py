"""Population figures in the portal: the list with its sums, entering and correcting, the history, Excel out
and in. Figures are typed here by hand: Thôn Bản Giang 100 households / 400 people, Thôn Na Lay 50 / 210."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from units.imports import import_villages
from units.models import PopulationFigure
from units.selectors import population_rows
from units.services import population_figure_set

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def villages_counted(world):
    population_figure_set(unit=world["W1"], as_of=JAN, households=100, population=400)
    population_figure_set(unit=world["W2"], as_of=JAN, households=50, population=210)


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_commune_without_figures_of_its_own_counts_the_sum_of_its_villages_and_says_so(
    client, world, personas, villages_counted
):
    client.force_login(personas["commune"])
    page = client.get(reverse("units:population", args=[world["K1"].pk])).content.decode()
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Xã Thanh Thịnh" in first_row and "150" in first_row and "610" in first_row
    assert "Tổng các đơn vị trực thuộc" in first_row
    assert "Số liệu riêng đến ngày 01/01/2026" in page  # the villages' rows
    detail = client.get(reverse("units:detail", args=[world["K1"].pk])).content.decode()
    assert "Tổng các đơn vị trực thuộc" in detail and "Chưa có số liệu dân số" not in detail


def test_a_commune_with_no_figures_at_all_shows_the_way_forward(client, world, personas):
    client.force_login(personas["commune"])
    detail = client.get(reverse("units:detail", args=[world["K1"].pk])).content.decode()
    assert "Chưa có số liệu dân số" in detail
    assert reverse("units:population", args=[world["K1"].pk]) in detail and "Nhập hoặc sửa số liệu" in detail
    page = client.get(reverse("units:population", args=[world["K1"].pk])).content.decode()
    assert page.count("Chưa có số liệu") == 3  # the commune and its two villages
    assert reverse("units:population_edit", args=[world["K1"].pk]) in page
    assert reverse("units:population_edit", args=[world["W1"].pk]) in page


def test_a_commune_officer_enters_then_corrects_the_communes_own_figures_and_the_history_keeps_both(
    client, world, personas, villages_counted
):
    client.force_login(personas["commune"])
    url = reverse("units:population_edit", args=[world["K1"].pk])
    response = client.post(
        url, {"as_of": "01/07/2026", "households": "1.600", "population": "6.000", "working_age_population": "3.500"}
    )
    assert response.status_code == 302 and response.url == reverse("units:population", args=[world["K1"].pk])
    client.post(
        url, {"as_of": "01/07/2026", "households": "1.650", "population": "6.000", "working_age_population": "3.500"}
    )
    figure = PopulationFigure.objects.get(unit=world["K1"])
    assert (figure.as_of, figure.households, figure.population, figure.working_age_population, figure.eid_eligible) == (
        datetime.date(2026, 7, 1),
        1650,
        6000,
        3500,
        None,
    )
    history = list(PopulationFigure.history.filter(unit_id=world["K1"].pk).order_by("history_date"))
    assert [(row.history_type, row.households, row.history_user.username) for row in history] == [
        ("+", 1600, "commune"),
        ("~", 1650, "commune"),
    ]
    form_page = client.get(url).content.decode()
    assert "Lịch sử thay đổi" in form_page and "1.600" in form_page and "1.650" in form_page


def test_figures_that_cannot_be_are_refused_in_vietnamese_naming_the_field(client, world, personas):
    client.force_login(personas["province"])
    url = reverse("units:population_edit", args=[world["K2"].pk])
    page = client.post(
        url, {"as_of": "01/07/2026", "population": "500", "working_age_population": "600"}
    ).content.decode()
    assert "Dân số trong độ tuổi lao động không thể lớn hơn dân số." in page
    page = client.post(url, {"as_of": "01/07/2026"}).content.decode()
    assert "Hãy nhập ít nhất một số liệu" in page
    page = client.post(url, {"as_of": "31/02/2026", "population": "500"}).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert not PopulationFigure.objects.exists()


def test_nobody_writes_figures_outside_their_scope(client, world, personas):
    for persona, unit in [("commune", "K2"), ("leader", "W1"), ("district", "K1"), ("outsider", "K1")]:
        client.force_login(personas[persona])
        response = client.post(
            reverse("units:population_edit", args=[world[unit].pk]), {"as_of": "01/07/2026", "population": "500"}
        )
        assert response.status_code == 404, persona
    assert not PopulationFigure.objects.exists()


def test_the_export_lists_the_figures_that_count_and_where_they_come_from(client, world, personas, villages_counted):
    client.force_login(personas["commune"])
    rows = sheet_rows(client.get(reverse("units:population_export", args=[world["K1"].pk])).content)
    assert rows[2] == (
        "STT",
        "Thôn/Tổ dân phố",
        "Số hộ",
        "Số dân",
        "Dân số trong độ tuổi lao động",
        "Công dân đủ điều kiện cấp định danh điện tử",
        "Nguồn số liệu",
        "Số liệu đến ngày",
    )
    assert rows[3] == (1, "Xã Thanh Thịnh", 150, 610, None, None, "Tổng các đơn vị trực thuộc", None)
    assert rows[4:] == [
        (2, "Thôn Bản Giang", 100, 400, None, None, "Số liệu riêng", datetime.datetime(2026, 1, 1)),
        (3, "Thôn Na Lay", 50, 210, None, None, "Số liệu riêng", datetime.datetime(2026, 1, 1)),
    ]


def test_the_village_list_template_comes_back_through_the_import_and_sets_the_communes_own_figures(
    client, world, personas, villages_counted
):
    client.force_login(personas["commune"])
    content = client.get(reverse("units:population_template", args=[world["K1"].pk])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[4]] == [1, "Xã Thanh Thịnh", None, None, None, None]  # never the sum
    sheet["C4"], sheet["D4"] = 170, 700  # the commune's own count, which differs from its villages' sum
    sheet["C6"] = 55
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_villages(buffer, commune=world["K1"], as_of=datetime.date(2026, 7, 1))
    assert result.written, [str(error) for error in result.errors]
    assert (result.created, result.updated) == (0, 3)
    page = client.get(reverse("units:population", args=[world["K1"].pk])).content.decode()
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "170" in first_row and "700" in first_row and "Số liệu riêng đến ngày 01/07/2026" in first_row


def test_each_figure_comes_from_the_units_own_latest_figure_or_else_the_sum_of_its_villages(world, villages_counted):
    population_figure_set(unit=world["K1"], as_of=datetime.date(2025, 1, 1), population=700)
    population_figure_set(unit=world["K1"], as_of=datetime.date(2026, 7, 1), households=170)
    row = population_rows(world["K1"], datetime.date(2026, 12, 1))[0]
    assert row.values == {"households": 170, "population": 700, "working_age_population": None, "eid_eligible": None}
    assert row.own == {"households": (datetime.date(2026, 7, 1), 170), "population": (datetime.date(2025, 1, 1), 700)}
    assert (row.own_as_of, row.summed, row.missing) == (datetime.date(2026, 7, 1), False, False)
    # Before the commune's own households were counted: its households are its villages' 100 + 50.
    row = population_rows(world["K1"], datetime.date(2026, 6, 30))[0]
    assert (row.values["households"], row.values["population"], row.summed) == (150, 700, True)
