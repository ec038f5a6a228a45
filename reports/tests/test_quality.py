"""Data quality (issue 13, item 5): every rule on hand-worked cases, the warning when a report is sent and its
explanation, the reviewer's view, the per-unit problems page with its Excel, and the Department's own rules.

The set-up (reports/tests/conftest.py): Thôn Bản Giang (W1) has 300 households, 1,200 people, 700 of working
age and 950 citizens eligible for e-ID (figures of 01/01/2025); its team reports monthly from January 2026.
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import ExportLog
from reports.models import QualityRule, Report
from reports.quality import problems_of
from reports.services import QualityWarning, report_approve, report_return
from reports.tests.helpers import save
from targets.choices import Aggregation, IndicatorKind, PopulationField
from targets.tests.factories import IndicatorFactory
from totech.tests.permissions import ALL

pytestmark = pytest.mark.django_db

BAN_GIANG_HOUSEHOLDS = "Lớn hơn số hộ của Thôn Bản Giang (300): đề nghị kiểm tra lại."


def send(setup, month, values, note="", team=None, user=None):
    """The leader sends the month's report (with `note` as the explanation when given)."""
    return save(
        user or setup.personas["leader"],
        team or setup.team,
        setup.period(month),
        values,
        submit=True,
        quality_note=note,
    )


def problems(report):
    report = Report.objects.select_related("team__unit", "period", "request").get(pk=report.pk)
    return [(problem.indicator.code, problem.kind, problem.message) for problem in problems_of([report])[report.pk]]


def visits_history(setup, counts, first_month=1):
    """Sent monthly reports with these door-to-door visit counts (households 10 each month), explained when
    they are themselves flagged."""
    for month, count in enumerate(counts, start=first_month):
        send(setup, month, {setup.households.pk: 10, setup.visits.pk: count}, note="Đã kiểm tra.")


# --- the rules, one by one ---------------------------------------------------------------------------------


def test_a_percentage_above_its_population_denominator_is_flagged(setup):
    """households guided ≤ households: 301 > 300 is flagged, 300 is not."""
    over = send(setup, 1, {setup.households.pk: 301, setup.visits.pk: 5}, note="Thôn mới nhập thêm hộ.")
    assert problems(over) == [("households_guided", "denominator", BAN_GIANG_HOUSEHOLDS)]
    at = send(setup, 1, {setup.households.pk: 300, setup.visits.pk: 5}, team=setup.other_team, user=setup.other_leader)
    assert problems(at) == []  # Na Lay has 300 households too


def test_activated_at_most_registered_at_most_eligible(setup):
    """The e-ID chain of seed 004: registrations ≤ 950 eligible citizens; activations ≤ registrations."""
    registered = IndicatorFactory(
        code="eid", name_vi="Công dân đăng ký định danh mức 2", denominator_field=PopulationField.EID_ELIGIBLE, order=3
    )
    activated = IndicatorFactory(
        code="eid_on", name_vi="Tài khoản kích hoạt", denominator_field="", denominator_indicator=registered, order=4
    )
    base = {setup.households.pk: 10, setup.visits.pk: 5}
    first = send(setup, 1, base | {registered.pk: 951, activated.pk: 900}, note="Có người từ xã khác đến đăng ký.")
    assert problems(first) == [
        (
            "eid",
            "denominator",
            "Lớn hơn công dân đủ điều kiện cấp định danh điện tử của Thôn Bản Giang (950): đề nghị kiểm tra lại.",
        )
    ]
    second = send(setup, 2, base | {registered.pk: 951, activated.pk: 952}, note="Như tháng trước.")
    assert [code for code, _kind, _message in problems(second)] == ["eid", "eid_on"]
    assert (
        problems(second)[1][2]
        == "Lớn hơn số liệu “Công dân đăng ký định danh mức 2” (951) trong báo cáo này: đề nghị kiểm tra lại."
    )
    at_most = send(
        setup, 1, base | {registered.pk: 950, activated.pk: 950}, team=setup.other_team, user=setup.other_leader
    )
    assert problems(at_most) == []  # Na Lay has 950 eligible citizens too


def test_a_stock_lower_than_the_previous_sent_report_is_flagged(setup):
    send(setup, 1, {setup.households.pk: 120, setup.visits.pk: 5})
    fell = send(setup, 2, {setup.households.pk: 119, setup.visits.pk: 5}, note="Hai hộ chuyển đi.")
    assert problems(fell) == [
        (
            "households_guided",
            "stock_fall",
            "Thấp hơn báo cáo trước của tổ (120, kỳ kết thúc ngày 31/01/2026): số liệu lũy kế không thể giảm. Đề nghị kiểm tra lại.",
        )
    ]
    same = send(setup, 3, {setup.households.pk: 119, setup.visits.pk: 5})  # compared with February's 119
    assert problems(same) == []


def test_drafts_and_returned_reports_are_not_history(setup):
    save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 200, setup.visits.pk: 5}
    )  # a draft
    february = send(setup, 2, {setup.households.pk: 150, setup.visits.pk: 5})
    report_return(user=setup.personas["commune"], report=february, comment="Bổ sung ảnh.")
    march = send(setup, 3, {setup.households.pk: 100, setup.visits.pk: 5})
    assert problems(march) == []


def test_a_flow_above_three_times_the_median_of_the_last_six_reports_is_flagged(setup):
    """History January-July: 100, 10, 2, 30, 8, 12, 9. The last six (February-July) sorted: 2 8 9 10 12 30,
    median (9 + 10) / 2 = 9.5, bound 3 × 9.5 = 28.5: August's 29 is flagged, 28 would not be. With January's
    100 counted, the median of seven would be 10 and 29 would pass: only the last six count."""
    visits_history(setup, [100, 10, 2, 30, 8, 12, 9])
    august = send(setup, 8, {setup.households.pk: 10, setup.visits.pk: 29}, note="Ra quân.")
    assert problems(august) == [
        (
            "visits",
            "flow_spike",
            "Cao hơn 3 lần trung vị (9,5) của 6 báo cáo gần nhất của tổ: đề nghị kiểm tra lại.",
        )
    ]
    report_return(user=setup.personas["commune"], report=august, comment="Kiểm tra lại.")
    august = send(setup, 8, {setup.households.pk: 10, setup.visits.pk: 28})
    assert problems(august) == []


def test_a_flow_spike_needs_three_past_reports_and_a_median_above_zero(setup):
    """Two reports of 1 are no history (100 passes); three are: median 1, bound 3, so 4 is flagged. A median of
    0 is no basis either."""
    visits_history(setup, [1, 1])
    assert problems(send(setup, 3, {setup.households.pk: 10, setup.visits.pk: 100})) == []
    other = setup.other_team
    for month in (1, 2, 3):
        send(setup, month, {setup.households.pk: 10, setup.visits.pk: 0}, team=other, user=setup.other_leader)
    assert (
        problems(send(setup, 4, {setup.households.pk: 10, setup.visits.pk: 50}, team=other, user=setup.other_leader))
        == []
    )


def test_three_past_reports_make_a_history(setup):
    visits_history(setup, [1, 1, 1])
    flagged = send(setup, 4, {setup.households.pk: 10, setup.visits.pk: 4}, note="Ra quân.")
    assert problems(flagged) == [
        ("visits", "flow_spike", "Cao hơn 3 lần trung vị (1) của 3 báo cáo gần nhất của tổ: đề nghị kiểm tra lại.")
    ]
    report_return(user=setup.personas["commune"], report=flagged, comment="Kiểm tra lại.")
    assert problems(send(setup, 4, {setup.households.pk: 10, setup.visits.pk: 3})) == []


def test_the_departments_rule_compares_an_indicator_with_a_population_figure(setup):
    """visits ≤ 0.5 × households: 0.5 × 300 = 150, so 151 is flagged and 150 is not. The rule of another
    province, and an inactive one, check nothing here."""
    QualityRule.objects.create(
        province=setup.world["Q"],
        name="Lượt đến hộ",
        instruction="Mỗi hộ tối đa 1 lượt trong 2 tháng.",
        left_indicator=setup.visits,
        operator="lte",
        right_field=PopulationField.HOUSEHOLDS,
        right_factor="0.5",
    )
    QualityRule.objects.create(
        province=setup.world["O"], name="Hà Nội", left_indicator=setup.visits, operator="lt", right_field="households"
    )
    QualityRule.objects.create(
        province=setup.world["Q"],
        name="Tắt",
        left_indicator=setup.visits,
        operator="eq",
        right_field="households",
        is_active=False,
    )
    flagged = send(setup, 1, {setup.households.pk: 10, setup.visits.pk: 151}, note="Đúng.")
    assert problems(flagged) == [
        (
            "visits",
            "rule",
            f"Lượt đến hộ: {setup.visits.name} (151) phải ≤ 0,5 × Số hộ (150). Mỗi hộ tối đa 1 lượt trong 2 tháng.",
        )
    ]
    assert problems(send(setup, 2, {setup.households.pk: 10, setup.visits.pk: 150})) == []


def test_the_departments_rule_between_two_indicators_and_a_missing_side(setup):
    """visits ≥ households guided: 9 < 10 is flagged; a population side without figures skips the rule."""
    QualityRule.objects.create(
        province=setup.world["Q"],
        name="Đến hộ",
        left_indicator=setup.visits,
        operator="gte",
        right_indicator=setup.households,
    )
    QualityRule.objects.create(
        province=setup.world["Q"],
        name="Không số liệu",
        left_indicator=setup.visits,
        operator="gt",
        right_field="population",
    )
    setup.world["W1"].population_figures.update(population=None)
    flagged = send(setup, 1, {setup.households.pk: 10, setup.visits.pk: 9}, note="Đúng.")
    assert problems(flagged) == [
        ("visits", "rule", f"Đến hộ: {setup.visits.name} (9) phải ≥ {setup.households.name} (10).")
    ]


# --- sending with a warning ------------------------------------------------------------------------------


def test_sending_flagged_figures_asks_for_an_explanation_and_writes_nothing(setup):
    with pytest.raises(QualityWarning) as raised:
        send(setup, 1, {setup.households.pk: 301, setup.visits.pk: 5})
    assert [problem.message for problem in raised.value.problems] == [BAN_GIANG_HOUSEHOLDS]
    assert raised.value.message_dict == {
        "quality_note": [
            "Một số số liệu bất thường (xem cảnh báo dưới từng ô). Đề nghị kiểm tra lại; nếu số liệu đúng, ghi giải trình vào đây rồi gửi lại."
        ]
    }
    assert not Report.objects.exists()
    draft = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 301, setup.visits.pk: 5})
    assert draft.status == "draft"  # a draft is saved as typed: the checks run when it is sent


def test_the_form_shows_the_warning_under_the_value_and_sends_with_the_explanation(client, setup):
    client.force_login(setup.personas["leader"])
    url = reverse("reports:new", args=[setup.team.pk, setup.period(1).pk])
    data = {"version": "0", "action": "submit", f"value_{setup.households.pk}": "301", f"value_{setup.visits.pk}": "5"}
    answer = client.post(url, data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert answer.json()["warnings"] == {f"value_{setup.households.pk}": [BAN_GIANG_HOUSEHOLDS]}
    assert list(answer.json()["errors"]) == ["quality_note"]
    page = client.post(url, data).content.decode()  # without the page's script
    assert BAN_GIANG_HOUSEHOLDS in page and 'id="quality-note-card" hidden' not in page and 'value="301"' in page
    response = client.post(url, data | {"quality_note": "Thôn mới nhập thêm 5 hộ từ thôn Na Lay."})
    report = Report.objects.get()
    assert response.status_code == 302 and report.status == "submitted"
    assert report.quality_note == "Thôn mới nhập thêm 5 hộ từ thôn Na Lay."


def test_the_reviewer_sees_the_warning_beside_the_value_and_the_explanation(client, setup):
    report = send(setup, 1, {setup.households.pk: 301, setup.visits.pk: 5}, note="Thôn mới nhập thêm 5 hộ.")
    client.force_login(setup.personas["commune"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    row = page[page.index(setup.households.name, page.index('id="report-values"')) :]
    assert row.index(BAN_GIANG_HOUSEHOLDS) < row.index("301") < row.index(setup.visits.name)  # in the value's row
    assert "Giải trình của tổ về các số liệu bị cảnh báo:</strong>\n        Thôn mới nhập thêm 5 hộ." in page
    assert 'id="review"' in page
    report_approve(user=setup.personas["commune"], report=report)
    assert BAN_GIANG_HOUSEHOLDS in client.get(reverse("reports:detail", args=[report.pk])).content.decode()


# --- the problems page -----------------------------------------------------------------------------------


def flagged_month(setup):
    """January: W1 sends 301 households (explained); W2 sends clean figures."""
    report = send(setup, 1, {setup.households.pk: 301, setup.visits.pk: 5}, note="Thôn mới nhập thêm hộ.")
    send(setup, 1, {setup.households.pk: 20, setup.visits.pk: 5}, team=setup.other_team, user=setup.other_leader)
    return report


def test_the_department_lists_the_open_problems_with_links(client, setup):
    report = flagged_month(setup)
    client.force_login(setup.personas["province"])
    page = client.get(reverse("reports:quality_unit", args=[setup.world["Q"].pk])).content.decode()
    assert "1 vấn đề trong Tháng 1/2026" in page
    assert reverse("reports:detail", args=[report.pk]) in page and BAN_GIANG_HOUSEHOLDS in page
    assert "Thôn mới nhập thêm hộ." in page
    assert setup.other_team.name not in page
    assert reverse("reports:quality_rules", args=[setup.world["Q"].pk]) in page
    commune = client.get(reverse("reports:quality_unit", args=[setup.world["K1"].pk])).content.decode()
    assert (
        BAN_GIANG_HOUSEHOLDS in commune and reverse("reports:quality_rules", args=[setup.world["Q"].pk]) not in commune
    )


def test_the_problems_filter_by_kind_and_status(client, setup):
    flagged_month(setup)
    client.force_login(setup.personas["province"])
    url = reverse("reports:quality_unit", args=[setup.world["Q"].pk])
    assert BAN_GIANG_HOUSEHOLDS in client.get(url, {"kind": "denominator", "status": "awaiting"}).content.decode()
    for query in ({"kind": "flow_spike"}, {"status": "approved"}):
        page = client.get(url, query).content.decode()
        assert BAN_GIANG_HOUSEHOLDS not in page and 'id="quality-empty"' in page
        assert "Không có vấn đề nào với bộ lọc này" in page


def test_a_unit_without_sent_reports_says_what_to_do(client, setup):
    client.force_login(setup.personas["province"])
    page = client.get(reverse("reports:quality_unit", args=[setup.world["Q"].pk])).content.decode()
    assert "Đơn vị này chưa có báo cáo nào được gửi nên chưa có gì để kiểm tra." in page
    assert client.get(reverse("reports:quality_excel", args=[setup.world["Q"].pk])).status_code == 404


def test_the_problems_in_excel(client, setup):
    report = flagged_month(setup)
    client.force_login(setup.personas["province"])
    response = client.get(reverse("reports:quality_excel", args=[setup.world["Q"].pk]), {"kind": "denominator"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Xã",
        "Tổ",
        "Kỳ",
        "Trạng thái báo cáo",
        "Chỉ tiêu",
        "Giá trị",
        "Loại vấn đề",
        "Cảnh báo",
        "Giải trình số liệu bị cảnh báo",
        "Gửi lần đầu lúc",
    )
    assert rows[1][:9] == (
        "Xã Thanh Thịnh",
        setup.team.name,
        "Tháng 1/2026",
        "Đã gửi",
        setup.households.name,
        301,
        "Vượt mẫu số",
        BAN_GIANG_HOUSEHOLDS,
        "Thôn mới nhập thêm hộ.",
    )
    assert isinstance(rows[1][9], datetime.datetime) and len(rows) == 2
    assert ExportLog.objects.get(kind="quality_problems").row_count == 1
    assert report.pk


def test_the_problems_page_is_scoped(client, setup):
    flagged_month(setup)
    client.force_login(setup.personas["outsider"])
    assert client.get(reverse("reports:quality_unit", args=[setup.world["Q"].pk])).status_code == 404
    client.force_login(setup.personas["commune"])
    assert client.get(reverse("reports:quality_unit", args=[setup.world["K2"].pk])).status_code == 404
    index = client.get(reverse("reports:quality")).content.decode()
    assert reverse("reports:quality_unit", args=[setup.world["K1"].pk]) in index
    assert reverse("reports:quality_unit", args=[setup.world["Q"].pk]) not in index


# --- the Department's rules ------------------------------------------------------------------------------


def rule_data(**fields):
    return {
        "name": "Ứng dụng công dân",
        "left": "",
        "operator": "lte",
        "right": "population:working_age_population",
        "right_factor": "0,5",
        "instruction": "",
        "is_active": "on",
        **fields,
    }


def test_the_department_adds_changes_and_deletes_a_rule(client, setup):
    client.force_login(setup.personas["province"])
    province = setup.world["Q"]
    response = client.post(
        reverse("reports:quality_rule_create", args=[province.pk]), rule_data(left=f"indicator:{setup.visits.pk}")
    )
    assert response.status_code == 302 and response.url == reverse("reports:quality_rules", args=[province.pk])
    rule = QualityRule.objects.get()
    assert (
        rule.province,
        rule.left_indicator,
        rule.left_field,
        rule.operator,
        rule.right_indicator,
        rule.right_field,
        str(rule.right_factor),
    ) == (
        province,
        setup.visits,
        "",
        "lte",
        None,
        "working_age_population",
        "0.50",
    )
    listing = client.get(reverse("reports:quality_rules", args=[province.pk])).content.decode()
    assert f"{setup.visits.name} ≤ 0,5 × Dân số trong độ tuổi lao động" in listing
    edit = reverse("reports:quality_rule_edit", args=[province.pk, rule.pk])
    assert f'value="indicator:{setup.visits.pk}" selected' in client.get(edit).content.decode()
    client.post(
        edit, rule_data(left=f"indicator:{setup.households.pk}", right=f"indicator:{setup.visits.pk}", right_factor="1")
    )
    rule.refresh_from_db()
    assert (rule.left_indicator, rule.right_indicator, rule.right_field) == (setup.households, setup.visits, "")
    assert client.post(reverse("reports:quality_rule_delete", args=[province.pk, rule.pk])).status_code == 302
    assert not QualityRule.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"left": "population:households"},
            "left",
            "Quy tắc cần ít nhất một vế là chỉ tiêu: hai số liệu dân số không có trong báo cáo nào để kiểm tra.",
        ),
        ({"left": "", "right": ""}, "left", "Trường này là bắt buộc."),
        (
            {"left": "indicator:{visits}", "right": "indicator:{visits}", "right_factor": "1"},
            "right",
            "Hai vế giống nhau: quy tắc sẽ không kiểm tra được gì.",
        ),
        ({"left": "indicator:{visits}", "right_factor": "-1"}, "right_factor", "Hệ số nhân không được âm."),
    ],
)
def test_a_wrong_rule_is_refused_in_vietnamese_on_its_field(client, setup, fields, field, message):
    client.force_login(setup.personas["province"])
    fields = {key: value.format(visits=setup.visits.pk) for key, value in fields.items()}
    response = client.post(reverse("reports:quality_rule_create", args=[setup.world["Q"].pk]), rule_data(**fields))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not QualityRule.objects.exists()


# --- who may do what, GET and POST (the GET matrix is totech/tests/test_permission_matrix.py) -------------

RULE_MANAGERS = frozenset({"admin", "province"})


def rule_urls(world):
    rule = QualityRule.objects.create(
        province=world["Q"],
        name="Quy tắc",
        left_field="households",
        operator="lte",
        right_indicator=IndicatorFactory(code="x", kind=IndicatorKind.PERCENT, aggregation=Aggregation.STOCK),
    )
    province = world["Q"].pk
    return rule, {
        "reports:quality_rule_create": [province],
        "reports:quality_rule_edit": [province, rule.pk],
        "reports:quality_rule_delete": [province, rule.pk],
    }


@pytest.mark.parametrize("persona", sorted(ALL))
def test_only_the_provinces_department_posts_its_rules(client, world, personas, persona):
    rule, urls = rule_urls(world)
    client.force_login(personas[persona])
    data = rule_data(left="population:households", right=f"indicator:{rule.right_indicator_id}", name="Đổi tên")
    for name in ("reports:quality_rule_edit", "reports:quality_rule_create"):
        response = client.post(reverse(name, args=urls[name]), data)
        assert response.status_code == (302 if persona in RULE_MANAGERS else 404), (persona, name)
    rule.refresh_from_db()
    assert (rule.name == "Đổi tên") == (persona in RULE_MANAGERS)
    assert QualityRule.objects.count() == (2 if persona in RULE_MANAGERS else 1)
    response = client.post(reverse("reports:quality_rule_delete", args=urls["reports:quality_rule_delete"]))
    assert response.status_code == (302 if persona in RULE_MANAGERS else 404)
    assert QualityRule.objects.filter(pk=rule.pk).exists() == (persona not in RULE_MANAGERS)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_the_read_only_pages_answer_a_post_as_a_get(client, setup, persona):
    """The index, the problems page, its Excel and the rule list only read: a POST changes nothing and is
    answered as the GET is, in scope and out of it."""
    flagged_month(setup)
    world = setup.world
    client.force_login(setup.personas[persona])
    seeing_k1 = {"admin", "province", "commune"}
    expected = {
        reverse("reports:quality"): 200 if persona != "leader" else 404,
        reverse("reports:quality_unit", args=[world["K1"].pk]): 200 if persona in seeing_k1 else 404,
        reverse("reports:quality_excel", args=[world["K1"].pk]): 200 if persona in seeing_k1 else 404,
        reverse("reports:quality_rules", args=[world["Q"].pk]): 200 if persona in RULE_MANAGERS else 404,
    }
    assert {url: client.post(url).status_code for url in expected} == expected
