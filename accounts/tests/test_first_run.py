"""The first run of a production database: `createsuperuser` makes a working system administrator, and an account
whose role has no fitting scope unit is told so instead of failing (issue 14 item 1)."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from totech.middleware import ScopeRequiredMiddleware
from totech.tests.helpers import CASES

# Accounts whose role and scope unit do not fit (no unit, or a unit at another level than the role's), as the shell or
# a script may save them.
BROKEN_SCOPES = {
    "commune officer without a unit": (Role.COMMUNE_OFFICER, None),
    "province staff without a unit": (Role.PROVINCE_STAFF, None),
    "team leader over a province": (Role.TEAM_LEADER, "Q"),
    "district staff over a commune": (Role.DISTRICT_STAFF, "K1"),
    "province staff over a village": (Role.PROVINCE_STAFF, "W1"),
    "commune officer over a district": (Role.COMMUNE_OFFICER, "D1"),
    "a role the portal does not know": ("district_chief", "D1"),
}


def broken_user(world, kind):
    role, unit_key = BROKEN_SCOPES[kind]
    return UserFactory(username="broken", role=role, scope_unit=world[unit_key] if unit_key else None)


def test_createsuperuser_makes_a_system_administrator_who_reaches_the_portal_and_admin(client, db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", TEST_PASSWORD)
    call_command("createsuperuser", interactive=False, username="quantri", email="quantri@example.gov.vn", verbosity=0)
    admin = User.objects.get(username="quantri")
    assert (admin.role, admin.scope_unit, admin.is_staff, admin.is_superuser) == (Role.SYSTEM_ADMIN, None, True, True)
    login = client.post(reverse("login"), {"username": "quantri", "password": TEST_PASSWORD})
    assert (login.status_code, login.url) == (302, reverse("home"))
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.templates[0].name == "accounts/home_system_admin.html"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_a_superuser_of_another_role_is_refused(db):
    with pytest.raises(ValueError, match="system_admin"):
        User.objects.create_superuser("x", password=TEST_PASSWORD, role=Role.PROVINCE_STAFF)


def test_the_superusers_an_earlier_createsuperuser_made_become_system_administrators(world):
    """Migration accounts 0003: a superuser left a commune officer without a unit is the administrator it was meant
    to be; anyone else keeps their role."""
    stranded = UserFactory(role=Role.COMMUNE_OFFICER, is_staff=True, is_superuser=True)
    officer = UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["K1"], is_staff=True, is_superuser=True)
    plain = UserFactory(role=Role.COMMUNE_OFFICER)
    migration = importlib.import_module("accounts.migrations.0003_superusers_are_system_administrators")
    migration.superusers_become_system_administrators(apps, None)
    roles = dict(User.objects.values_list("pk", "role"))
    assert (roles[stranded.pk], roles[officer.pk], roles[plain.pk]) == (
        Role.SYSTEM_ADMIN,
        Role.COMMUNE_OFFICER,
        Role.COMMUNE_OFFICER,
    )


def test_an_account_without_a_unit_is_told_so_in_vietnamese_and_whom_to_ask(client, world):
    client.force_login(UserFactory(username="canbo.moi", role=Role.COMMUNE_OFFICER, scope_unit=None))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tài khoản của bạn chưa được gán đơn vị công tác" in page
    assert "chưa được gán đơn vị nào" in page and "Cán bộ xã" in page
    assert "quản trị viên hệ thống" in page and "canbo.moi" in page
    assert reverse("teams:list") not in page  # no menu into pages it would only be sent back from


def test_an_account_whose_unit_does_not_fit_its_role_is_told_so(client, world):
    client.force_login(UserFactory(role=Role.TEAM_LEADER, scope_unit=world["Q"]))
    page = client.get(reverse("home")).content.decode()
    assert "Thái Nguyên" in page and "không phù hợp với vai trò này" in page


@pytest.mark.parametrize("kind", sorted(BROKEN_SCOPES))
def test_every_account_without_a_fitting_unit_gets_the_page_saying_so(client, world, kind):
    client.force_login(broken_user(world, kind))
    response = client.get(reverse("home"))
    assert response.status_code == 200 and response.templates[0].name == "accounts/home_no_scope.html"


@pytest.mark.parametrize("kind", ["commune officer without a unit", "team leader over a province"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_an_account_without_a_fitting_unit_only_reaches_its_home_and_never_a_server_error(client, world, case, kind):
    """Every page of the permission matrix: the home page says what is wrong, the password and language pages work,
    and every other page sends the account home, never a 500 nor a page half-scoped to a unit its role never has."""
    client.force_login(broken_user(world, kind))
    response = client.get(reverse(case.url_name, kwargs=case.kwargs(world)))
    if case.url_name in ScopeRequiredMiddleware.ALLOWED:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.url) == (302, reverse("home"))


def test_forms_and_admin_refuse_an_account_whose_role_needs_a_unit_it_lacks(client, world, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "khongdonvi",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "usable_password": "true",
            "role": Role.COMMUNE_OFFICER,
            "scope_unit": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["scope_unit"] == ["Vai trò này cần có đơn vị phụ trách."]
    assert not User.objects.filter(username="khongdonvi").exists()
