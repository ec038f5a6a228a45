"""Failed passwords lock out the client that typed them, not the official: behind the reverse proxy the client is
read from X-Forwarded-For as far as the proxies are trusted, never from what the client itself claims."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD

PROXY = "10.0.0.2"  # the reverse proxy, as gunicorn sees it
ATTACKER, OFFICIAL = "203.0.113.9", "198.51.100.7"


def login(client, username, password, *, remote=PROXY, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_an_attackers_failures_do_not_lock_the_official_out(behind_one_proxy, personas):
    attacker = Client()
    for _ in range(5):
        response = login(attacker, "commune", "wrong", forwarded=ATTACKER)
    assert response.status_code == 429
    assert login(attacker, "commune", TEST_PASSWORD, forwarded=ATTACKER).status_code == 429
    assert login(Client(), "commune", TEST_PASSWORD, forwarded=OFFICIAL).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_the_proxy_what_the_client_adds_to_the_header_is_not_believed(behind_one_proxy, personas):
    """The proxy appends the address it saw: addresses further left were sent by the client and change nothing."""
    attacker = Client()
    for n in range(5):
        response = login(attacker, "commune", "wrong", forwarded=f"192.0.2.{n}, {ATTACKER}")
    assert response.status_code == 429
    assert login(attacker, "commune", TEST_PASSWORD, forwarded=f"{OFFICIAL}, {ATTACKER}").status_code == 429
    assert login(Client(), "commune", TEST_PASSWORD, forwarded=OFFICIAL).status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(personas):
    """No proxy configured: a client forging X-Forwarded-For on each try is still the one address it comes from."""
    attacker = Client()
    for n in range(5):
        response = login(attacker, "commune", "wrong", remote=ATTACKER, forwarded=f"192.0.2.{n}")
    assert response.status_code == 429
    assert login(attacker, "commune", TEST_PASSWORD, remote=ATTACKER, forwarded=OFFICIAL).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert login(Client(), "commune", TEST_PASSWORD, remote=OFFICIAL).status_code == 302


def test_a_malformed_forwarded_address_falls_back_to_the_connection(behind_one_proxy, personas):
    login(Client(), "commune", "wrong", forwarded="not-an-address")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def test_one_address_trying_many_accounts_is_stopped(behind_one_proxy, personas, settings):
    """Four tries on each of many usernames stay under the per-account limit; the address's total does not."""
    attacker = Client()
    tries = 0
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = login(attacker, f"official{n}", "wrong", forwarded=ATTACKER)
            tries += 1
            if tries < settings.AXES_ADDRESS_FAILURE_LIMIT:
                assert response.status_code == 200
    assert response.status_code == 429
    assert login(attacker, "commune", TEST_PASSWORD, forwarded=ATTACKER).status_code == 429
    assert login(Client(), "commune", TEST_PASSWORD, forwarded=OFFICIAL).status_code == 302


def test_the_old_password_check_is_throttled_like_a_login(client, personas):
    """A stolen session cannot be used to guess the official's password on the password-change form."""
    official = personas["commune"]
    client.force_login(official)
    url = reverse("password_change")
    new = {"new_password1": "another-long-passphrase-9", "new_password2": "another-long-passphrase-9"}
    for attempt in range(5):
        response = client.post(url, {"old_password": f"guess-{attempt}", **new}, REMOTE_ADDR=ATTACKER)
        if attempt < 4:
            assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert response.status_code == 429
    assert "đổi mật khẩu từ nơi này bị tạm khóa trong 15 phút" in response.content.decode()
    assert client.post(url, {"old_password": TEST_PASSWORD, **new}, REMOTE_ADDR=ATTACKER).status_code == 429
    official.refresh_from_db()
    assert official.check_password(TEST_PASSWORD)


def test_the_right_old_password_changes_it(client, personas):
    official = personas["commune"]
    client.force_login(official)
    new = {"new_password1": "another-long-passphrase-9", "new_password2": "another-long-passphrase-9"}
    response = client.post(reverse("password_change"), {"old_password": TEST_PASSWORD, **new})
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    official.refresh_from_db()
    assert official.check_password("another-long-passphrase-9")


def test_django_admin_changes_passwords_on_the_throttled_page(client, personas):
    client.force_login(personas["admin"])
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response.url == reverse("password_change")
