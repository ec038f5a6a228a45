import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation

from accounts.choices import Role
from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.parametrize(
    "role, unit_key, message",
    [
        (Role.PROVINCE_STAFF, "K1", "must be a province"),
        (Role.DISTRICT_STAFF, "Q", "must be a district"),
        (Role.COMMUNE_OFFICER, "W1", "must be a commune"),
        (Role.TEAM_LEADER, "Q", "must be a commune, village"),
        (Role.COMMUNE_OFFICER, None, "needs a scope unit"),
        (Role.SYSTEM_ADMIN, "Q", "has no scope unit"),
    ],
)
def test_scope_unit_must_fit_the_role(world, role, unit_key, message):
    user = User(username="x", role=role, scope_unit=world[unit_key] if unit_key else None)
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        user.full_clean()


def test_login_page_speaks_vietnamese_and_logs_in(client, world, personas):
    page = client.get(reverse("login"))
    assert "Đăng nhập" in page.content.decode()
    response = client.post(reverse("login"), {"username": "commune", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Xã Thanh Thịnh" in home and "Cán bộ xã" in home


def test_each_role_lands_on_its_own_home(client, world, personas):
    seen = set()
    for user in personas.values():
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        seen.add(response.templates[0].name)
    assert seen == {f"accounts/home_{role}.html" for role in Role.values}


def test_repeated_failed_logins_lock_the_account(client, world, personas):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "commune", "password": "wrong"})
    assert response.status_code == 429
    assert "15 phút" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "commune", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_english_is_selectable(client, world, personas):
    client.force_login(personas["commune"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("home")).content.decode()


def test_dates_and_numbers_follow_vietnamese_conventions():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2025, 7, 1), "SHORT_DATE_FORMAT") == "01/07/2025"
        assert formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True) == "1.234,5"
        assert forms.DateField().clean("05/03/2022") == datetime.date(2022, 3, 5)
    with translation.override("en"):
        assert formats.date_format(datetime.date(2025, 7, 1), "SHORT_DATE_FORMAT") == "01/07/2025"
        assert forms.DateField().clean("5/3/2022") == datetime.date(2022, 3, 5)


def test_admin_is_for_system_admins_only(client, world, personas):
    staff_province = UserFactory(role=Role.PROVINCE_STAFF, scope_unit=world["Q"], is_staff=True, is_superuser=True)
    client.force_login(staff_province)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(personas["admin"])
    assert client.get(reverse("admin:index")).status_code == 200


def test_vietnamese_is_the_default_whatever_the_browser_asks(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()


def test_a_short_new_password_is_refused_in_vietnamese_on_the_password_change_form(client, personas):
    """Django 5.2 says “at least %d characters”, which its Vietnamese catalogue does not have: ours does."""
    client.force_login(personas["commune"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "x7Kq",
            "new_password2": "x7Kq",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["Mật khẩu này quá ngắn: cần ít nhất 8 ký tự."]
    personas["commune"].refresh_from_db()
    assert personas["commune"].check_password(TEST_PASSWORD)


def test_a_short_password_set_by_the_administrator_is_refused_in_vietnamese(client, personas):
    client.force_login(personas["admin"])
    user = personas["commune"]
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "password1": "12345",
            "password2": "12345",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự." in response.context["form"].errors["password2"]
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    "message",
    [
        "Null characters are not allowed.",  # any text field given a NUL character
        "“%(pk)s” is not a valid value.",  # a garbage id among ticked choices (the training's attendees)
        "Enter a complete value.",
        "Conflicting form data submitted. Please try again.",
        "CSRF verification failed. Request aborted.",  # a form sent after the session ended
    ],
)
def test_the_form_errors_django_leaves_in_english_are_vietnamese(message):
    with translation.override("vi"):
        assert translation.gettext(message) != message


def test_every_export_is_recorded_with_a_kind_of_the_list_and_a_scope_that_fits(personas):
    from accounts.choices import ExportKind
    from accounts.services import export_log

    log = export_log(
        user=personas["commune"], kind=ExportKind.TEAM_MEMBERS, scope=" Xã Thanh Thịnh " + "x" * 400, row_count=7
    )
    log.refresh_from_db()
    assert (log.kind, log.get_kind_display(), log.row_count) == ("team_members", "Thành viên Tổ", 7)
    assert log.scope.startswith("Xã Thanh Thịnh x") and len(log.scope) == 300
