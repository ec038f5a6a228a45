import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from totech.tests.helpers import CASES
from totech.tests.permissions import ALL

# Named URLs that need no login or are Django's own machinery, and so sit outside the matrix.
OUTSIDE_MATRIX = {
    "login",
    "logout",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def named_urls(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner != "admin:":
                yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_is_in_the_matrix():
    covered = {case.url_name for case in CASES}
    missing = sorted(set(named_urls()) - covered - OUTSIDE_MATRIX)
    assert not missing, f"URLs without a permission-matrix case: {missing}"


def test_out_of_scope_answers_404_never_403():
    """403 would tell a persona that the page exists for others: no case of the matrix expects one."""
    assert [case.id for case in CASES if 403 in (case.denied_status, case.allowed_status)] == []


def request(client, world, case):
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    return client.get(url) if case.data is None else client.post(url, case.data(world))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_anonymous_is_sent_to_login(client, world, case):
    response = request(client, world, case)
    assert response.status_code == 302
    assert "/login/" in response.url


@pytest.mark.parametrize("persona", sorted(ALL))
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_permission_matrix(client, world, personas, case, persona):
    client.force_login(personas[persona])
    response = request(client, world, case)
    expected = case.allowed_status if persona in case.allowed | case.post_refused else case.denied_status
    assert response.status_code == expected, f"{persona} on {case.id}"


POST_CASES = [case for case in CASES if case.post is not None]


@pytest.mark.parametrize("persona", sorted(ALL))
@pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.id)
def test_permission_matrix_post(client, world, personas, case, persona):
    client.force_login(personas[persona])
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    response = client.post(url, case.post(world))
    allowed = persona in (case.allowed if case.post_allowed is None else case.post_allowed)
    expected = case.post_status if allowed else 200 if persona in case.post_refused else case.denied_status
    assert response.status_code == expected, f"{persona} on {case.id}"
    if persona in case.post_refused:
        assert response.context["form"].errors, f"{persona} on {case.id}: refused without a field error"
    if case.post_check is not None:
        assert case.post_check(world) == allowed, f"{persona} on {case.id}: what the POST did"
