"""Accounts managed in the portal: who may give which role where, one-time passwords and the forced first change,
deactivation, resets (by an officer, by e-mail), usernames, the history of an account, the Excel list."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services
from accounts.choices import Role
from accounts.models import ExportLog, User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from teams.choices import TeamRole
from teams.models import Membership, Person, Team

NEW_PASSWORD = "mot-mat-khau-rieng-2026"


def create(client, **data):
    return client.post(reverse("accounts:create"), {"last_name": "Nông Văn", "first_name": "Mới", **data})


def sheet_rows(response):
    """(username, password) of each line of a login sheet."""
    html = response.content.decode()
    usernames = re.findall(r'login-username">([^<]+)<', html)
    passwords = re.findall(r'login-password">([^<]+)<', html)
    return list(zip(usernames, passwords, strict=True))


# --- who gives which role where ----------------------------------------------------------------------------


def test_province_staff_create_a_commune_officer_with_a_one_time_password(client, world, personas):
    client.force_login(personas["province"])
    response = create(
        client, username="canbo.k1", role=Role.COMMUNE_OFFICER, scope_unit=world["K1"].pk, email="k1@example.vn"
    )
    assert response.status_code == 200
    [(username, password)] = sheet_rows(response)
    assert username == "canbo.k1"
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    officer = User.objects.get(username="canbo.k1")
    assert (officer.role, officer.scope_unit, officer.must_change_password, officer.is_staff) == (
        Role.COMMUNE_OFFICER,
        world["K1"],
        True,
        False,
    )
    assert officer.check_password(password)
    assert ExportLog.objects.get(user=personas["province"], kind="login_sheet").row_count == 1


def test_a_username_left_empty_is_made_from_the_name(client, world, personas):
    client.force_login(personas["commune"])
    create(
        client, username="", last_name="Hoàng Văn", first_name="Nam", role=Role.TEAM_LEADER, scope_unit=world["W2"].pk
    )
    create(
        client, username="", last_name="Hoàng Văn", first_name="Nam", role=Role.TEAM_LEADER, scope_unit=world["W1"].pk
    )
    assert set(User.objects.filter(last_name="Hoàng Văn").values_list("username", flat=True)) == {
        "hoangvannam",
        "hoangvannam2",
    }


def test_usernames_are_readable_and_unique(db):
    UserFactory(username="dothidung")
    UserFactory(username="DoThiDung2")
    assert services.username_for("Đỗ Thị Dung") == "dothidung3"
    assert services.username_for("Nguyễn Thị Ánh Tuyết") == "nguyenthianhtuyet"
    assert services.split_full_name("Nguyễn Thị Ánh Tuyết") == ("Nguyễn Thị Ánh", "Tuyết")


@pytest.mark.parametrize(
    "persona, role, unit, field, message",
    [
        ("province", Role.SYSTEM_ADMIN, None, "role", "Hãy chọn một lựa chọn hợp lệ"),
        ("province", Role.PROVINCE_STAFF, "Q", "role", "Hãy chọn một lựa chọn hợp lệ"),
        ("province", Role.COMMUNE_OFFICER, "O1", "scope_unit", "Hãy chọn một lựa chọn hợp lệ"),
        ("commune", Role.COMMUNE_OFFICER, "K1", "role", "Hãy chọn một lựa chọn hợp lệ"),
        ("commune", Role.TEAM_LEADER, "W3", "scope_unit", "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_nobody_gives_a_role_above_theirs_or_a_unit_outside_their_scope(
    client, world, personas, persona, role, unit, field, message
):
    client.force_login(personas[persona])
    response = create(client, username="leo", role=role, scope_unit=world[unit].pk if unit else "")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="leo").exists()


def test_the_service_refuses_an_escalation_on_its_field_in_vietnamese(world, personas):
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            actor=personas["commune"],
            username="x",
            first_name="",
            last_name="",
            role=Role.PROVINCE_STAFF,
            scope_unit=world["Q"],
        )
    assert refused.value.message_dict == {"role": ["Bạn không thể cấp vai trò này: bạn chỉ có thể cấp tổ trưởng."]}
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            actor=personas["province"],
            username="x",
            first_name="",
            last_name="",
            role=Role.TEAM_LEADER,
            scope_unit=world["OV"],
        )
    assert refused.value.message_dict == {
        "scope_unit": ["Đơn vị này nằm ngoài phạm vi của bạn: hãy chọn một đơn vị của mình."]
    }


def test_a_role_and_unit_that_do_not_fit_are_refused_on_the_unit(client, world, personas):
    client.force_login(personas["province"])
    response = create(client, username="x", role=Role.COMMUNE_OFFICER, scope_unit=world["W1"].pk)
    assert response.context["form"].errors["scope_unit"] == ["Đơn vị phụ trách của Cán bộ xã phải là cấp xã."]


def test_the_list_shows_only_the_accounts_one_manages(client, world, personas):
    officer = UserFactory(username="canbo.k2", role=Role.COMMUNE_OFFICER, scope_unit=world["K2"])
    leader = UserFactory(username="truong.w3", role=Role.TEAM_LEADER, scope_unit=world["W3"])
    UserFactory(username="khac.tinh", role=Role.TEAM_LEADER, scope_unit=world["OV"])
    client.force_login(personas["province"])
    listed = {user.username for user in client.get(reverse("accounts:list")).context["page"].object_list}
    assert listed == {"commune", "leader", officer.username, leader.username}
    client.force_login(personas["commune"])
    assert [user.username for user in client.get(reverse("accounts:list")).context["page"].object_list] == ["leader"]


def test_the_list_filters_by_role_unit_status_and_search(client, world, personas):
    UserFactory(
        username="truong.w3",
        last_name="Lò Văn",
        first_name="Pành",
        role=Role.TEAM_LEADER,
        scope_unit=world["W3"],
        is_active=False,
    )
    client.force_login(personas["province"])

    def listed(**query):
        return [user.username for user in client.get(reverse("accounts:list"), query).context["page"].object_list]

    assert listed(role=Role.COMMUNE_OFFICER) == ["commune"]
    assert listed(unit=world["K2"].pk) == ["truong.w3"]
    assert listed(active="no") == ["truong.w3"]
    assert listed(q="lò pành") == ["truong.w3"]
    response = client.get(reverse("accounts:list"), {"q": "không ai"})
    assert "Không có tài khoản nào khớp với bộ lọc này" in response.content.decode()


# --- first login, deactivation, resets ----------------------------------------------------------------------


def test_the_first_login_forces_a_new_password(world, personas):
    user, password = services.user_create(
        actor=personas["commune"],
        username="bangiang",
        first_name="Sáu",
        last_name="Hoàng Văn",
        role=Role.TEAM_LEADER,
        scope_unit=world["W1"],
    )
    client = Client()
    response = client.post(reverse("login"), {"username": "bangiang", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "Bạn đã đăng nhập bằng mật khẩu dùng một lần" in response.content.decode()
    assert client.get(reverse("reports:list")).url == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("reports:list")).status_code == 200


def test_a_deactivated_account_cannot_log_in_and_its_history_stays(client, world, personas):
    leader = personas["leader"]
    person = Person.objects.create(full_name="Đỗ Văn Tuấn", commune=world["K1"], user=leader)
    Client().force_login(leader)
    client.force_login(personas["commune"])
    assert client.post(reverse("accounts:deactivate", args=[leader.pk])).status_code == 302
    leader.refresh_from_db()
    assert not leader.is_active
    response = Client().post(reverse("login"), {"username": "leader", "password": TEST_PASSWORD})
    assert response.status_code == 200  # the login form again, with its error
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác")
    )
    person.refresh_from_db()
    assert person.user == leader  # the roster still names the account, everything it did keeps its author
    history = client.get(reverse("accounts:detail", args=[leader.pk])).context["history"]
    assert (history[0].subject, history[0].user, history[0].fields) == (
        "Đã vô hiệu hóa",
        personas["commune"],
        [("Kích hoạt", "có", "không")],
    )


def test_a_session_of_a_deactivated_account_ends(world, personas):
    leader_client = Client()
    leader_client.force_login(personas["leader"])
    services.user_set_active(actor=personas["commune"], user=personas["leader"], active=False)
    assert leader_client.get(reverse("home")).status_code == 302


def test_nobody_deactivates_their_own_account(client, personas):
    client.force_login(personas["admin"])
    assert client.get(reverse("accounts:deactivate", args=[personas["admin"].pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.user_set_active(actor=personas["admin"], user=personas["admin"], active=False)


def test_an_officer_reset_gives_a_new_one_time_password(client, world, personas):
    client.force_login(personas["commune"])
    assert (
        "Mật khẩu hiện tại ngừng hoạt động ngay"
        in client.get(reverse("accounts:reset_password", args=[personas["leader"].pk])).content.decode()
    )
    response = client.post(reverse("accounts:reset_password", args=[personas["leader"].pk]))
    [(username, password)] = sheet_rows(response)
    leader = User.objects.get(pk=personas["leader"].pk)
    assert username == "leader" and leader.check_password(password) and not leader.check_password(TEST_PASSWORD)
    assert leader.must_change_password
    assert (
        client.get(reverse("accounts:detail", args=[leader.pk])).context["history"][0].subject
        == "Cán bộ đặt lại mật khẩu"
    )


def test_reset_by_email_sends_a_link_that_sets_the_users_own_password(world, personas):
    leader = personas["leader"]
    leader.email, leader.must_change_password = "tuan@example.vn", True
    leader.save()
    client = Client()
    client.post(reverse("password_reset"), {"email": "tuan@example.vn"})
    [message] = mail.outbox
    assert message.to == ["tuan@example.vn"]
    assert "Tên đăng nhập: leader" in message.body
    link = re.search(r"^http://127.0.0.1:8000(/accounts/reset/\S+/)$", message.body, re.M).group(1)  # PORTAL_URL
    form_url = client.get(link).url  # Django swaps the token for a session one
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("password_reset_complete")
    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD) and not leader.must_change_password


def test_reset_by_email_sends_nothing_to_a_deactivated_account(personas):
    leader = personas["leader"]
    leader.email, leader.is_active = "tuan@example.vn", False
    leader.save()
    response = Client().post(reverse("password_reset"), {"email": "tuan@example.vn"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_login_page_points_to_reset_by_email_and_to_whom_to_ask(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page
    assert "Tổ trưởng hỏi cán bộ xã" in page


def test_lockouts_still_hold_after_a_reset_by_an_officer(world, personas):
    """A reset does not lift a lockout: five wrong passwords still lock the username from that address."""
    password = services.user_reset_password(actor=personas["commune"], user=personas["leader"])
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "leader", "password": password}).status_code == 429


# --- the account's history and the Excel list -------------------------------------------------------------


def test_every_account_change_is_in_its_history_with_who_made_it(client, world, personas):
    user, _password = services.user_create(
        actor=personas["province"],
        username="canbo.k2",
        first_name="Hà",
        last_name="Lê Thu",
        role=Role.COMMUNE_OFFICER,
        scope_unit=world["K2"],
    )
    services.user_update(
        actor=personas["province"],
        user=user,
        username="canbo.k2",
        first_name="Hà",
        last_name="Lê Thu",
        role=Role.COMMUNE_OFFICER,
        scope_unit=world["K1"],
        email="",
        phone="0912345678",
    )
    client.force_login(user)  # a login writes a record that changes nothing shown: it is left out
    client.force_login(personas["province"])
    response = client.get(reverse("accounts:detail", args=[user.pk]))
    changes = response.context["history"]
    assert [change.action for change in changes] == ["sửa", "tạo mới"]
    assert dict((label, (old, new)) for label, old, new in changes[0].fields) == {
        "đơn vị phụ trách": ("Xã Chợ Mới", "Xã Thanh Thịnh"),
        "số điện thoại": ("—", "0912345678"),
    }
    assert "password" not in {field.name for field in User.history.model._meta.fields}
    assert "Xã Chợ Mới" in response.content.decode()


def test_the_excel_list_masks_personal_data_escapes_formulas_and_is_logged(client, world, personas):
    UserFactory(
        username="canbo.k2",
        role=Role.COMMUNE_OFFICER,
        scope_unit=world["K2"],
        last_name='=HYPERLINK("x")',
        first_name="",
        email="lethuha@example.vn",
        phone="0912345678",
    )
    client.force_login(personas["province"])
    response = client.get(reverse("accounts:export"), {"role": Role.COMMUNE_OFFICER})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert rows == [
        [
            1,
            "commune",
            f"{personas['commune'].get_full_name()}",
            "Cán bộ xã",
            "Xã Thanh Thịnh",
            None,
            None,
            "đang hoạt động",
            None,
        ],
        [
            2,
            "canbo.k2",
            '\'=HYPERLINK("x")',
            "Cán bộ xã",
            "Xã Chợ Mới",
            "l•••@example.vn",
            "•••••••678",
            "đang hoạt động",
            None,
        ],
    ]
    log = ExportLog.objects.get(kind="users")
    assert (log.user, log.row_count) == (personas["province"], 2)
    assert f"role={Role.COMMUNE_OFFICER}" in log.scope


# --- logins for leaders, from the roster ----------------------------------------------------------------------


@pytest.fixture
def thanh_thinh_teams(world):
    """Village teams at W1 and W2 and the commune team of K1, each with a leader; W1's also with a deputy."""
    start = datetime.date(2025, 7, 1)
    memberships = {}
    for key, leader in [("W1", "Hoàng Văn Sáu"), ("W2", "Vi Thị Lan"), ("K1", "Ma Văn Hùng")]:
        team = Team.objects.create(unit=world[key], name=f"Tổ CNSCĐ {world[key].name}")
        commune = world["K1"]
        person = Person.objects.create(full_name=leader, commune=commune, phone="0987654321")
        memberships[key] = Membership.objects.create(team=team, person=person, role=TeamRole.LEADER, start_date=start)
    deputy = Person.objects.create(full_name="Hoàng Thị Mai", commune=world["K1"], email="mai@example.vn")
    memberships["deputy"] = Membership.objects.create(
        team=memberships["W1"].team, person=deputy, role=TeamRole.DEPUTY, start_date=start
    )
    return memberships


def test_giving_a_deputy_a_login_links_the_person_and_the_account(client, world, personas, thanh_thinh_teams):
    deputy = thanh_thinh_teams["deputy"]
    client.force_login(personas["commune"])
    roster = client.get(reverse("teams:detail", args=[deputy.team_id])).content.decode()
    assert reverse("teams:member_login", args=[deputy.pk]) in roster
    response = client.post(reverse("teams:member_login", args=[deputy.pk]))
    [(username, password)] = sheet_rows(response)
    user = User.objects.get(username=username)
    assert username == "hoangthimai"
    assert (user.role, user.scope_unit, user.last_name, user.first_name, user.email) == (
        Role.TEAM_LEADER,
        world["W1"],
        "Hoàng Thị",
        "Mai",
        "mai@example.vn",
    )
    assert Person.objects.get(pk=deputy.person_id).user == user
    assert (
        reverse("teams:member_login", args=[deputy.pk])
        not in client.get(reverse("teams:detail", args=[deputy.team_id])).content.decode()
    )
    assert client.post(reverse("teams:member_login", args=[deputy.pk])).status_code == 404  # once only


def test_a_commune_gives_every_leader_a_login_at_once(client, world, personas, thanh_thinh_teams):
    Person.objects.filter(pk=thanh_thinh_teams["W2"].person_id).update(
        user=UserFactory(username="lan", role=Role.TEAM_LEADER, scope_unit=world["W2"])
    )
    client.force_login(personas["commune"])
    page = client.get(reverse("teams:leader_logins"))
    assert [m.person.full_name for m in page.context["memberships"]] == ["Ma Văn Hùng", "Hoàng Văn Sáu"]
    response = client.post(reverse("teams:leader_logins"), {"commune": world["K1"].pk})
    rows = sheet_rows(response)
    assert [username for username, _password in rows] == ["mavanhung", "hoangvansau"]
    assert User.objects.get(username="mavanhung").scope_unit == world["K1"]
    assert User.objects.get(username="hoangvansau").scope_unit == world["W1"]
    assert all(User.objects.get(username=username).check_password(password) for username, password in rows)
    assert ExportLog.objects.get(kind="login_sheet").row_count == 2
    again = client.post(reverse("teams:leader_logins"), {"commune": world["K1"].pk}, follow=True)
    assert "đã có tài khoản" in again.content.decode()


def test_the_department_picks_the_commune_and_no_other_provinces(client, world, personas, thanh_thinh_teams):
    client.force_login(personas["province"])
    assert client.get(reverse("teams:leader_logins")).context["memberships"] == []
    assert len(client.get(reverse("teams:leader_logins"), {"commune": world["K1"].pk}).context["memberships"]) == 3
    client.force_login(personas["outsider"])
    assert client.post(reverse("teams:leader_logins"), {"commune": world["K1"].pk}).status_code == 404
    assert not Person.objects.filter(user__isnull=False).exists()
