"""Report photos: only re-encoded pixels are kept, under a name the server chooses, and they are served as the
image they are, never as a page a browser would run (issue 12, items 1 and 12)."""

import io
import re
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reports.images import MAX_PHOTO_EDGE
from reports.models import ReportPhoto
from reports.tests.helpers import save

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>fetch('/teams/').then(r => r.text()).then(t => alert(t))</script>"


def picture(size=(40, 30), image_format="PNG", colour="green", **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_header_only(width, height):
    """A valid PNG of a few dozen bytes that claims width × height pixels (the decompression bomb of item 12)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.fixture
def draft(setup, media):
    return save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1})


def upload(client, setup, report, name, content, content_type="image/png"):
    client.force_login(setup.personas["leader"])
    url = reverse("reports:photo_add", args=[report.pk])
    return client.post(url, {"image": SimpleUploadedFile(name, content, content_type=content_type)}, follow=True)


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def test_a_png_carrying_a_script_is_kept_as_reencoded_pixels_and_served_as_an_image(client, setup, draft, media):
    upload(client, setup, draft, "x.html", picture() + SCRIPT, content_type="text/html")
    photo = ReportPhoto.objects.get()
    assert re.fullmatch(rf"reports/{draft.pk}/[0-9a-f]{{32}}\.jpg", photo.image.name)  # the server's name, not x.html
    [stored] = stored_files(media)
    data = stored.read_bytes()
    assert data.startswith(b"\xff\xd8") and b"<script" not in data  # a JPEG, the trailing bytes gone
    with Image.open(stored) as kept:
        assert kept.size == (40, 30)

    response = client.get(reverse("reports:photo", args=[draft.pk, photo.pk]))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="anh-{photo.pk}.jpg"'
    assert "script-src" not in response["Content-Security-Policy"] and "sandbox" in response["Content-Security-Policy"]
    assert body == data
    assert client.get(f"/{settings.MEDIA_URL}{photo.image.name}").status_code == 404  # no public path to uploads


def test_the_photo_is_turned_upright_stripped_of_its_metadata_and_shrunk_for_weak_connections(
    client, setup, draft, media
):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was held upright, the pixels lie on their side
    exif[0x013B] = "Nguyễn Văn A"  # Artist
    exif[0x8825] = {2: (21.0, 35.0, 0.0)}  # GPSInfo: latitude
    upload(client, setup, draft, "IMG_0001.JPG", picture((3000, 1500), "JPEG", exif=exif), content_type="image/jpeg")
    [stored] = stored_files(media)
    with Image.open(stored) as kept:
        assert kept.size == (MAX_PHOTO_EDGE // 2, MAX_PHOTO_EDGE)  # upright, longest edge capped
        assert not kept.getexif() and "exif" not in kept.info and "icc_profile" not in kept.info


def test_a_phone_jpeg_with_several_pictures_is_kept_as_its_first(client, setup, draft, media):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(
        buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (30, 20), "blue")]
    )
    upload(client, setup, draft, "IMG_0002.jpg", buffer.getvalue(), content_type="image/jpeg")
    [stored] = stored_files(media)
    with Image.open(stored) as kept:
        assert kept.format == "JPEG" and kept.size == (30, 20) and kept.getpixel((5, 5))[0] > 200


def test_transparent_pictures_get_a_white_background(client, setup, draft, media):
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 0)).save(buffer, format="PNG")
    upload(client, setup, draft, "logo.png", buffer.getvalue())
    [stored] = stored_files(media)
    with Image.open(stored) as kept:
        red, green, blue = kept.getpixel((5, 5))
    assert min(red, green, blue) > 240


def test_a_tiny_file_claiming_huge_dimensions_is_refused_before_it_is_decoded(client, setup, draft, media):
    bomb = png_header_only(12000, 12000)
    assert len(bomb) < 80
    page = upload(client, setup, draft, "bom.png", bomb).content.decode()
    assert "Ảnh quá lớn: 12.000 × 12.000 điểm ảnh" in page
    assert not ReportPhoto.objects.exists() and not stored_files(media)


@pytest.mark.parametrize(
    "name, image_format, size", [("anh.png", "PNG", (5000, 4000)), ("anh.webp", "WEBP", (5000, 4000))]
)
def test_pictures_decoded_whole_have_a_lower_pixel_cap_than_jpeg(client, setup, draft, media, name, image_format, size):
    page = upload(client, setup, draft, name, picture(size, image_format)).content.decode()
    assert "Ảnh quá lớn: 5.000 × 4.000 điểm ảnh" in page
    assert not ReportPhoto.objects.exists() and not stored_files(media)
    upload(client, setup, draft, "anh.jpg", picture(size, "JPEG"), content_type="image/jpeg")
    assert ReportPhoto.objects.count() == 1


def test_a_damaged_photo_is_refused(client, setup, draft, media):
    whole = picture((400, 300), "JPEG", colour="blue")
    page = upload(
        client, setup, draft, "hong.jpg", whole[: len(whole) // 2], content_type="image/jpeg"
    ).content.decode()
    assert "Tệp này không phải là ảnh" in page
    assert not ReportPhoto.objects.exists() and not stored_files(media)


def test_photos_stored_before_the_fix_are_served_as_the_image_they_are_or_not_at_all(client, setup, draft, media):
    old = ReportPhoto(report=draft)
    old.image.save("x.html", ContentFile(picture() + SCRIPT), save=True)
    client.force_login(setup.personas["commune"])
    response = client.get(reverse("reports:photo", args=[draft.pk, old.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="anh-{old.pk}.png"'

    not_a_picture = ReportPhoto(report=draft)
    not_a_picture.image.save("y.html", ContentFile(SCRIPT), save=True)
    assert client.get(reverse("reports:photo", args=[draft.pk, not_a_picture.pk])).status_code == 404


def test_a_photo_whose_file_is_missing_answers_404(client, setup, draft, media):
    upload(client, setup, draft, "anh.png", picture())
    photo = ReportPhoto.objects.get()
    photo.image.storage.delete(photo.image.name)
    assert client.get(reverse("reports:photo", args=[draft.pk, photo.pk])).status_code == 404
