"""The dashboard's Excel exports: the official report cell by cell, the flat data row by row, escaping, logging,
scope and the empty state. Quarter III/2026 of Thái Nguyên: W1's team reports 8 visits and 150 of 300
households guided in September (the province has 1,000), approved; the commune has a target of 10 visits, the
province one of 80% of households."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import ExportLog
from reports.exports import OfficialReport, place_date
from reports.models import IndicatorSummary, UnitSummary
from reports.rollups import rollup_province
from reports.services import report_approve
from reports.tests.helpers import save
from targets.choices import TargetMode
from targets.models import Period
from targets.tests.factories import TargetFactory
from units.tests.factories import PopulationFigureFactory

pytestmark = pytest.mark.django_db

TABLE_HEADER = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu giao",
    "Kết quả thực hiện",
    "Tỷ lệ",
    "Tỷ lệ đạt so với chỉ tiêu",
    "Đánh giá",
]


@pytest.fixture
def quarter(setup):
    period = Period.objects.get(kind="quarter", year=2026, number=3)
    world = setup.world
    PopulationFigureFactory(unit=world["W3"], as_of=datetime.date(2025, 1, 1), households=400)
    TargetFactory(
        indicator=setup.visits, period=period, unit=world["K1"], mode=TargetMode.ABSOLUTE, value=Decimal("10")
    )
    TargetFactory(
        indicator=setup.households, period=period, unit=world["Q"], mode=TargetMode.PERCENT, value=Decimal("80")
    )
    report = save(
        setup.personas["leader"],
        setup.team,
        setup.period(9),
        {setup.visits.pk: 8, setup.households.pk: 150},
        submit=True,
    )
    report_approve(user=setup.personas["commune"], report=report)
    rollup_province(province=world["Q"], year=2026, quarter=3, today=datetime.date(2026, 10, 10))
    setup.quarter = period
    return setup


def download(client, user, name, unit, period=None):
    client.force_login(user)
    query = f"?period={period.pk}" if period else ""
    return client.get(reverse(name, args=[unit.pk]) + query)


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet, column, text):
    """The first row whose cell in `column` holds `text`."""
    return next(row for row in range(1, sheet.max_row + 1) if sheet[f"{column}{row}"].value == text)


def values(sheet, row, last="H"):
    return [cell.value for cell in sheet[f"A{row}:{last}{row}"][0]]


def test_the_province_report_is_laid_out_as_an_official_document(quarter, client):
    world = quarter.world
    response = download(client, quarter.personas["province"], "reports:dashboard_excel", world["Q"])
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-to-cnscd-tinh-thai-nguyen-2026-q3.xlsx"'
    book = workbook_of(response)
    assert book.sheetnames == ["Báo cáo", "Theo đơn vị"]
    sheet = book["Báo cáo"]
    today = timezone.localdate()

    # Header block: the Department under the provincial People's Committee, the national motto, number, place-date.
    header = {
        "A1": ("UBND TỈNH THÁI NGUYÊN", False, False, None),
        "A2": ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", True, False, "single"),
        "D1": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, None),
        "D2": ("Độc lập - Tự do - Hạnh phúc", True, False, "single"),
        "A4": ("Số:        /BC-SKHCN", False, False, None),
        "D4": (place_date(world["Q"], today), False, True, None),
        "A6": ("BÁO CÁO", True, False, None),
        "A7": ("Kết quả hoạt động của Tổ Công nghệ số cộng đồng quý III năm 2026", True, False, None),
        "A9": (
            "Đơn vị: Tỉnh Thái Nguyên (mã 19) – Kỳ báo cáo: Quý 3/2026 (từ 01/07/2026 đến 30/09/2026)",
            False,
            False,
            None,
        ),
    }
    for address, (text, bold, italic, underline) in header.items():
        cell = sheet[address]
        assert (cell.value, cell.font.b, cell.font.i, cell.font.u) == (text, bold, italic, underline), address
        assert cell.font.name == "Times New Roman", address
    month = f"0{today.month}" if today.month < 3 else str(today.month)
    assert sheet["D4"].value == f"Thái Nguyên, ngày {today.day:02d} tháng {month} năm {today.year}"
    assert (sheet["A6"].font.sz, sheet["A7"].font.sz, sheet["A1"].font.sz) == (14, 14, 13)
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:C1", "A2:C2", "D1:H1", "D2:H2", "A4:C4", "D4:H4", "A6:H6", "A7:H7", "A9:H9"} <= merged

    # The indicator table, grouped by pillar, each row equal to the summary.
    top = row_of(sheet, "A", "STT")
    assert values(sheet, top) == TABLE_HEADER
    assert sheet[f"A{top - 1}"].value == "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
    assert all(cell.font.b and cell.border.top.style == "thin" for cell in sheet[f"A{top}:H{top}"][0])
    assert values(sheet, top + 1)[:2] == ["I", "Chính quyền số"] and f"B{top + 1}:H{top + 1}" in merged
    assert values(sheet, top + 3)[:2] == ["II", "Hoạt động của Tổ"]
    households = IndicatorSummary.objects.get(unit=world["Q"], period=quarter.quarter, indicator=quarter.households)
    visits = IndicatorSummary.objects.get(unit=world["Q"], period=quarter.quarter, indicator=quarter.visits)
    assert (households.actual, households.denominator, households.rate, households.target, households.achievement) == (
        150,
        1000,
        Decimal("15.0"),
        Decimal("80.00"),
        Decimal("18.8"),
    )
    assert values(sheet, top + 2) == [
        1,
        quarter.households.name_vi,
        "%",
        float(households.target) / 100,
        households.actual,
        float(households.rate) / 100,
        float(households.achievement) / 100,
        "Chậm",
    ]
    assert [sheet.cell(top + 2, column).number_format for column in (4, 5, 6, 7)] == ["0.0%", "#,##0", "0.0%", "0.0%"]
    assert visits.target is None  # the province set no target for visits: the commune's is not summed up
    assert values(sheet, top + 4) == [1, quarter.visits.name_vi, "Số lượng", None, 8, None, None, None]

    # Reports, teams, members and coverage, equal to the unit summary.
    summary = UnitSummary.objects.get(unit=world["Q"], period=quarter.quarter)
    second = row_of(sheet, "A", "II. TÌNH HÌNH BÁO CÁO VÀ HOẠT ĐỘNG CỦA CÁC TỔ") + 1
    assert values(sheet, second) == ["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Tổng số", "Tỷ lệ", "Ghi chú", None]
    assert values(sheet, second + 1)[:6] == [
        1,
        "Báo cáo định kỳ đã nhận",
        "Báo cáo",
        summary.reports_received,
        summary.reports_expected,
        pytest.approx(summary.completeness / 100),
    ]
    assert values(sheet, second + 3)[:7] == [
        3,
        "Báo cáo chưa đến hạn nộp",
        "Báo cáo",
        summary.reports_pending,
        None,
        None,
        "Không tính vào tỷ lệ",
    ]
    assert values(sheet, second + 4)[3:6] == [
        summary.villages_covered,
        summary.villages,
        pytest.approx(summary.coverage / 100),
    ]
    assert values(sheet, second + 5)[3] == summary.active_teams == 2
    assert values(sheet, second + 6)[3] == summary.members == 2
    assert sheet.cell(second + 1, 6).number_format == "0.0%"

    # Nơi nhận on the left, the signature block on the right, on the same rows.
    recipients = row_of(sheet, "A", "Nơi nhận:")
    assert recipients > second + 6
    assert sheet[f"A{recipients}"].font.b and sheet[f"A{recipients}"].font.i
    assert [sheet[f"A{recipients + offset}"].value for offset in (1, 2, 3)] == [
        "- UBND tỉnh (để báo cáo);",
        "- Ban Chỉ đạo chuyển đổi số tỉnh;",
        "- Lưu: VT.",
    ]
    assert (sheet[f"D{recipients}"].value, sheet[f"D{recipients}"].font.b) == ("GIÁM ĐỐC", True)
    assert (sheet[f"D{recipients + 1}"].value, sheet[f"D{recipients + 1}"].font.i) == (
        "(Ký, ghi rõ họ tên, đóng dấu)",
        True,
    )
    assert {f"D{recipients}:H{recipients}", f"A{recipients}:C{recipients}"} <= merged

    # Printed on A4 portrait, fitted to the width, within the margins of Nghị định 30/2020.
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_margins.left, sheet.page_margins.right) == (1.18, 0.59)


def test_the_annex_lists_the_units_below_as_the_dashboard_does(quarter, client):
    world = quarter.world
    book = workbook_of(download(client, quarter.personas["province"], "reports:dashboard_excel", world["Q"]))
    sheet = book["Theo đơn vị"]
    assert sheet["A1"].value == "Phụ lục"
    assert (
        sheet["A3"].value
        == f"(Kèm theo Báo cáo số        /BC-SKHCN ngày      /     /{timezone.localdate().year} của Sở Khoa học và Công nghệ)"
    )
    top = row_of(sheet, "A", "STT")
    # Both indicators have a target somewhere (households at the province, visits at Thanh Thịnh).
    assert values(sheet, top, "I") == [
        "STT",
        "Đơn vị",
        quarter.households.name_vi,
        quarter.visits.name_vi,
        "Báo cáo đã nhận",
        "Báo cáo đúng hạn",
        "Thôn có Tổ hoạt động",
        "Số Tổ",
        "Số thành viên",
    ]
    rows = {sheet.cell(row, 2).value: row for row in range(top + 1, sheet.max_row + 1)}
    assert list(rows) == ["Xã Chợ Mới", "Xã Thanh Thịnh", "Tổng cộng"]
    cells = {
        (cell.unit.name, cell.indicator_id): cell
        for cell in IndicatorSummary.objects.filter(period=quarter.quarter).select_related("unit")
    }
    for name, row in rows.items():
        unit_name = world["Q"].name if name == "Tổng cộng" else name
        for column, indicator in ((3, quarter.households), (4, quarter.visits)):
            achievement = cells[(unit_name, indicator.pk)].achievement
            assert sheet.cell(row, column).value == (None if achievement is None else float(achievement) / 100), (
                name,
                column,
            )
        summary = UnitSummary.objects.get(unit__name=unit_name, period=quarter.quarter)
        assert values(sheet, row, "I")[7:] == [summary.active_teams, summary.members]
    assert sheet.cell(rows["Xã Thanh Thịnh"], 4).value == 0.8  # 8 visits of 10
    assert sheet.cell(rows["Xã Thanh Thịnh"], 4).number_format == "0.0%"
    assert sheet.cell(rows["Tổng cộng"], 2).font.b
    assert (sheet.page_setup.orientation, sheet.print_title_rows) == ("landscape", f"${top}:${top}")


def test_a_commune_report_is_issued_by_its_people_committee(quarter, client):
    world = quarter.world
    book = workbook_of(download(client, quarter.personas["commune"], "reports:dashboard_excel", world["K1"]))
    assert book.sheetnames == ["Báo cáo"]  # no units with summaries below a commune
    sheet = book.active
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A4"].value] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ THANH THỊNH",
        "Số:        /BC-UBND",
    ]
    assert sheet["A1"].font.b and sheet["A2"].font.b and sheet["A2"].font.u == "single"
    assert sheet["D4"].value.startswith("Thanh Thịnh, ngày ")
    recipients = row_of(sheet, "A", "Nơi nhận:")
    assert sheet[f"A{recipients + 1}"].value == "- Sở Khoa học và Công nghệ (để báo cáo);"
    assert [sheet[f"D{recipients + offset}"].value for offset in range(3)] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "(Ký, ghi rõ họ tên, đóng dấu)",
    ]
    top = row_of(sheet, "A", "STT")
    visits = IndicatorSummary.objects.get(unit=world["K1"], period=quarter.quarter, indicator=quarter.visits)
    assert values(sheet, top + 4) == [1, quarter.visits.name_vi, "Số lượng", 10, 8, None, 0.8, "Có nguy cơ"]
    assert visits.rating == "amber"


def test_the_issuing_body_and_place_follow_the_date_and_the_map(world):
    period = Period.objects.create(
        kind="quarter", year=2024, number=1, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 31)
    )
    before = OfficialReport(unit=world["P"], period=period, issued_on=datetime.date(2024, 2, 5))
    assert before.issuer_lines() == [("UBND TỈNH QUẢNG NGÃI", False), ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", True)]
    assert before.number_line() == "Số:        /BC-STTTT"
    assert place_date(world["P"], datetime.date(2024, 2, 5)) == "Quảng Ngãi, ngày 05 tháng 02 năm 2024"
    assert place_date(world["D1"], datetime.date(2026, 11, 3)) == "Mộ Đức, ngày 03 tháng 11 năm 2026"
    assert place_date(world["O"], datetime.date(2026, 12, 31)) == "Hà Nội, ngày 31 tháng 12 năm 2026"
    after = OfficialReport(unit=world["O"], period=period, issued_on=datetime.date(2025, 3, 1))
    assert after.issuer_lines() == [("UBND THÀNH PHỐ HÀ NỘI", False), ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", True)]
    commune = OfficialReport(unit=world["C1"], period=period, issued_on=datetime.date(2024, 4, 2))
    assert commune.issuer_lines() == [("ỦY BAN NHÂN DÂN", True), ("THỊ TRẤN MỘ ĐỨC", True)]
    assert commune.recipients() == ["UBND huyện Mộ Đức (để báo cáo);", "Lưu: VT."]
    district = OfficialReport(unit=world["D2"], period=period, issued_on=datetime.date(2024, 4, 2))
    assert district.issuer_lines()[1] == ("THỊ XÃ ĐỨC PHỔ", True)
    assert district.recipients() == ["Sở Thông tin và Truyền thông (để báo cáo);", "Lưu: VT."]


def test_another_period_is_chosen_with_the_query_string(quarter, client):
    september = quarter.period(9)
    book = workbook_of(
        download(client, quarter.personas["commune"], "reports:dashboard_excel", quarter.world["K1"], september)
    )
    assert book.active["A7"].value == "Kết quả hoạt động của Tổ Công nghệ số cộng đồng tháng 9 năm 2026"


def test_the_data_export_holds_every_summary_under_the_unit(quarter, client):
    world = quarter.world
    response = download(client, quarter.personas["province"], "reports:dashboard_data", world["Q"])
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-to-cnscd-tinh-thai-nguyen-2026-q3.xlsx"'
    book = workbook_of(response)
    assert book.sheetnames == ["Theo chỉ tiêu", "Theo đơn vị"]
    rows = list(book["Theo chỉ tiêu"].iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Mã đơn vị",
        "Đơn vị",
        "Cấp",
        "Mã đơn vị cấp trên",
        "Kỳ",
        "Từ ngày",
        "Đến ngày",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
    )
    expected = {
        (
            s.unit.code,
            s.unit.name,
            s.unit.level,
            s.unit.parent.code if s.unit.parent else None,
            s.indicator.code,
            s.actual,
            s.denominator,
            s.rate,
            s.target,
            s.target_mode or None,
            s.achievement,
            s.rating or None,
        )  # blank cells read as None
        for s in IndicatorSummary.objects.filter(period=quarter.quarter).select_related("unit__parent", "indicator")
    }
    assert len(expected) == 6  # Q, K1, K2 × two indicators
    got = {
        (
            r[0],
            r[1],
            r[2],
            r[3],
            r[7],
            r[9],
            r[10],
            None if r[11] is None else Decimal(str(r[11])),
            None if r[12] is None else Decimal(str(r[12])).quantize(Decimal("0.01")),
            r[13],
            None if r[14] is None else Decimal(str(r[14])),
            r[15],
        )
        for r in rows[1:]
    }
    assert got == expected
    first = rows[1]
    assert (first[0], first[4], first[5], first[6]) == (
        "19",
        "Quý 3/2026",
        datetime.datetime(2026, 7, 1),
        datetime.datetime(2026, 9, 30),
    )
    assert book["Theo chỉ tiêu"]["F2"].number_format == "dd/mm/yyyy"
    units = list(book["Theo đơn vị"].iter_rows(values_only=True))
    summaries = {s.unit.code: s for s in UnitSummary.objects.filter(period=quarter.quarter).select_related("unit")}
    assert sorted(row[0] for row in units[1:]) == sorted(summaries) == ["02107", "02110", "19"]
    for row in units[1:]:
        summary = summaries[row[0]]
        assert row[7:18] == (
            summary.reports_expected,
            summary.reports_received,
            summary.reports_on_time,
            summary.reports_pending,
            summary.completeness,
            summary.timeliness,
            summary.active_teams,
            summary.members,
            summary.villages,
            summary.villages_covered,
            summary.coverage,
        )
        assert row[18] == timezone.localtime(summary.computed_at).replace(tzinfo=None, microsecond=row[18].microsecond)


def test_the_data_export_stays_in_the_users_scope(quarter, client):
    world = quarter.world
    book = workbook_of(download(client, quarter.personas["commune"], "reports:dashboard_data", world["K1"]))
    assert {row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)} == {"02107"}
    assert download(client, quarter.personas["commune"], "reports:dashboard_data", world["Q"]).status_code == 404
    assert download(client, quarter.personas["outsider"], "reports:dashboard_excel", world["K1"]).status_code == 404


def test_unit_names_cannot_run_as_formulas(quarter, client):
    world = quarter.world
    world["K1"].name = '=HYPERLINK("http://evil.example","Bấm vào")'
    world["K1"].save()
    for name in ("reports:dashboard_excel", "reports:dashboard_data"):
        book = workbook_of(download(client, quarter.personas["province"], name, world["Q"]))
        cells = [
            cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None
        ]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], name
        assert any(cell.value == "'" + world["K1"].name for cell in cells), name
    book = workbook_of(download(client, quarter.personas["commune"], "reports:dashboard_excel", world["K1"]))
    assert book.active["D4"].value.startswith("'=HYPERLINK(")  # the place before the date


def test_every_download_is_logged(quarter, client):
    world, user = quarter.world, quarter.personas["province"]
    download(client, user, "reports:dashboard_excel", world["Q"])
    download(client, user, "reports:dashboard_data", world["Q"])
    logs = list(ExportLog.objects.filter(user=user).order_by("pk").values_list("kind", "scope", "row_count"))
    assert logs == [
        ("dashboard_report", "19 Thái Nguyên · Quý 3/2026", 2),
        ("dashboard_data", "19 Thái Nguyên · Quý 3/2026", 6),
    ]


def test_no_summaries_no_buttons_and_no_file(setup, client):
    client.force_login(setup.personas["commune"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:dashboard_excel", args=[setup.world["K1"].pk]) not in page
    response = client.get(reverse("reports:dashboard_excel", args=[setup.world["K1"].pk]))
    assert response.status_code == 404
    assert not ExportLog.objects.exists()


def test_the_dashboard_offers_both_downloads(quarter, client):
    client.force_login(quarter.personas["commune"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    unit = quarter.world["K1"]
    assert f"{reverse('reports:dashboard_excel', args=[unit.pk])}?period={quarter.quarter.pk}" in page
    assert f"{reverse('reports:dashboard_data', args=[unit.pk])}?period={quarter.quarter.pk}" in page


@pytest.mark.browser
def test_the_official_report_downloads_from_the_dashboard(page, live_server, quarter):
    from totech.tests.browser import fits_the_phone, log_in, shoot

    log_in(page, live_server, "commune")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel: báo cáo theo mẫu").click()
    assert download_info.value.suggested_filename == "bao-cao-to-cnscd-xa-thanh-thinh-2026-q3.xlsx"
    assert ExportLog.objects.filter(kind="dashboard_report").count() == 1
    fits_the_phone(page)
    shoot(page, "dashboard-exports")


@pytest.mark.parametrize(
    ("target", "shown", "number_format"),
    [
        (Decimal("375"), 375, "#,##0"),
        (Decimal("7500"), 7500, "#,##0"),
        (Decimal("12.5"), 12.5, "#,##0.0#"),
    ],
)
def test_an_absolute_target_prints_without_a_trailing_separator(quarter, client, target, shown, number_format):
    """Excel prints "#,##0.##" as "375." and "7.500.": whole targets take "#,##0", fractions "#,##0.0#"."""
    from reports.models import IndicatorSummary as Summary

    world = quarter.world
    Summary.objects.filter(unit=world["K1"], period=quarter.quarter, indicator=quarter.visits).update(target=target)
    sheet = workbook_of(download(client, quarter.personas["commune"], "reports:dashboard_excel", world["K1"]))[
        "Báo cáo"
    ]
    row = row_of(sheet, "B", quarter.visits.name_vi)
    assert (sheet[f"D{row}"].value, sheet[f"D{row}"].number_format) == (shown, number_format)
