"""A request body over settings.MAX_REQUEST_BYTES is refused with 413 and a Vietnamese page before it is read:
by its Content-Length, or while it streams in when the length is missing or lies (issue 12, item 10)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from totech.middleware import RequestSizeLimitMiddleware

LIMIT = 10_000


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.MAX_REQUEST_BYTES = LIMIT


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def view_never_called(request):
    raise AssertionError("the view ran")


def multipart(size):
    return RequestFactory().post(
        "/reports/1/photos/", {"image": SimpleUploadedFile("anh.jpg", b"x" * size), "caption": "Buổi họp"}
    )


def test_a_body_announced_over_the_cap_is_refused_unread():
    request = multipart(LIMIT)
    request._stream = Unreadable()
    response = RequestSizeLimitMiddleware(view_never_called)(request)
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in response.content.decode()


def test_a_body_whose_length_lies_is_cut_off_once_past_the_cap():
    request = multipart(1_000_000)
    body = request._stream.read()
    stream = io.BytesIO(body)
    request._stream, request.META["CONTENT_LENGTH"] = stream, "1000"  # a server that does not stop at the length
    response = RequestSizeLimitMiddleware(view_never_called)(request)
    assert response.status_code == 413
    assert stream.tell() < 300_000  # stopped a chunk or two past the cap, not drained to the end


def test_a_body_under_the_cap_reaches_the_view_whole():
    request = multipart(LIMIT // 2)
    response = RequestSizeLimitMiddleware(
        lambda request: HttpResponse(f"{request.FILES['image'].size} {request.POST['caption']}")
    )(request)
    assert response.content.decode() == f"{LIMIT // 2} Buổi họp"


@pytest.mark.django_db
def test_an_oversized_photo_gets_the_page_in_the_portal(client, personas):
    client.force_login(personas["leader"])
    response = client.post(
        reverse("reports:photo_add", args=[1]), {"image": SimpleUploadedFile("anh.jpg", b"x" * LIMIT)}
    )
    page = response.content.decode()
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in page and "Dữ liệu gửi lên lớn hơn 9,8\xa0KB nên không được nhận" in page
