"""Upload → preview → confirm in a real browser, at desktop and phone widths."""

import io

import pytest

from teams.models import Membership
from teams.spreadsheets.samples import messy_member_workbook
from totech.tests.browser import log_in, screenshot


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """live_server serves static files through the finders, which know no hashed (manifest) names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 360])
def test_upload_preview_confirm(live_server, page, world, personas, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path
    sample = tmp_path / "danh-sach-to-cnscd.xlsx"
    sample.write_bytes(
        messy_member_workbook(world["K1"].name, ["Thôn Bản Giang", "Thôn Na Lay"], members_per_village=5)
    )
    page.set_viewport_size({"width": width, "height": 900})

    log_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/teams/members/import/")
    screenshot(page, f"excel-import-form-{width}")

    page.set_input_files("input[name=file]", str(sample))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#count-created")
    assert page.inner_text("#count-created") == "10"
    assert Membership.objects.count() == 0
    screenshot(page, f"excel-import-preview-{width}")

    page.click("main form[action$='/confirm/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert Membership.objects.count() == 10
    screenshot(page, f"excel-import-done-{width}")

    bad = tmp_path / "loi.xlsx"
    data = io.BytesIO(
        messy_member_workbook(world["K1"].name, ["Thôn Bản Giang", "Thôn Bản Gian"], members_per_village=3)
    )
    bad.write_bytes(data.getvalue())
    page.goto(f"{live_server.url}/teams/members/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#job-errors")
    assert "Thôn Bản Giang" in page.inner_text("#job-errors")  # the suggestion
    screenshot(page, f"excel-import-errors-{width}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_running_import_shows_its_progress_and_the_page_reloads_when_it_is_over(live_server, page, world, personas):
    """The bar's width comes from static/js/totech.js (no inline style under the Content-Security-Policy)."""
    from django.core.cache import cache

    from teams.models import ImportJob, ImportKind, ImportStatus

    job = ImportJob.objects.create(
        kind=ImportKind.MEMBERS, commune=world["K1"], user=personas["commune"], file_name="lon.xlsx", total_rows=9000
    )
    cache.set(job.progress_cache_key, 40, 60)
    log_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/teams/imports/{job.pk}/")
    bar = page.locator("#job-progress .progress-bar")
    bar.wait_for()
    assert 0.35 < progress_shown(page) < 0.45
    cache.set(job.progress_cache_key, 80, 60)
    page.wait_for_selector("#job-progress .progress-bar[data-progress='80']")  # the next poll, swapped in by htmx
    assert 0.75 < progress_shown(page) < 0.85
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.INVALID)
    page.wait_for_selector("#job-status")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 360])
def test_a_shared_phone_shows_as_a_row_worth_a_look(live_server, page, world, personas, settings, tmp_path, width):
    from teams.tests.factories import PersonFactory
    from teams.tests.helpers import member_file

    settings.MEDIA_ROOT = tmp_path
    PersonFactory(
        commune=world["K1"], full_name="Triệu Thị Yến", birth_year=2004, phone="0912000111", national_id="001304012345"
    )
    upload = tmp_path / "danh-sach.xlsx"
    upload.write_bytes(
        member_file(
            [1, "Triệu Văn Bình", "1970", "Nam", "0912000111", "Thành viên", "", "Thôn Bản Giang", None]
        ).getvalue()
    )
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/teams/members/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#job-warnings")
    assert page.inner_text("#count-created") == "1"
    assert "Triệu Văn Bình dùng chung số điện thoại với Triệu Thị Yến (2004)" in page.inner_text("#job-warnings")
    screenshot(page, f"excel-import-warnings-{width}")


def progress_shown(page) -> float:
    """How much of its track the import's progress bar fills, as drawn."""
    return page.evaluate(
        "() => { const bar = document.querySelector('#job-progress .progress-bar'); return bar.offsetWidth / bar.parentNode.offsetWidth; }"
    )
