"""Error pages as production shows them (DEBUG off): in the portal's language, never Django's English defaults."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_vietnamese_with_the_menu(client, personas):
    client.force_login(personas["commune"])
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and "Not Found" not in page
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "view, exception, status, title",
    [
        (defaults.server_error, None, 500, "Lỗi máy chủ"),
        (defaults.bad_request, SuspiciousOperation(), 400, "Yêu cầu không hợp lệ"),
        (defaults.permission_denied, PermissionDenied(), 403, "Không được phép"),
    ],
)
def test_error_pages_are_the_portals(view, exception, status, title):
    request = RequestFactory().get("/")
    response = view(request) if exception is None else view(request, exception)
    page = response.content.decode()
    assert response.status_code == status
    assert title in page and "Server Error" not in page and "Bad Request" not in page and "403 Forbidden" not in page
