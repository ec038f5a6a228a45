"""The web import: upload → preview → confirm, large files in the background, the log, villages, the demo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams.models import ImportJob, ImportKind, ImportStatus, Membership, Person
from teams.spreadsheets import jobs as import_jobs
from units.models import PopulationFigure, Unit

from .helpers import far_cell_workbook, member_file, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(content, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, content.getvalue() if hasattr(content, "getvalue") else content)


def members(count, village="Bản Giang"):
    return member_file(
        *[[n, f"Người Số {n}", "1990", "Nam", f"09{n:08d}", "", "", village, None] for n in range(1, count + 1)]
    )


def test_upload_preview_confirm(client, world, personas):
    client.cookies["django_language"] = "vi"  # this test reads the pages in Vietnamese
    client.force_login(personas["commune"])
    response = client.post(reverse("teams:members_import"), {"commune": world["K1"].pk, "file": upload(members(3))})
    job = ImportJob.objects.get()
    assert response.url == reverse("teams:job_detail", args=[job.pk])
    assert (job.status, job.created, job.user) == (ImportStatus.READY, 3, personas["commune"])
    assert Person.objects.count() == 0

    page = client.get(response.url).content.decode()
    assert "Xác nhận và nhập 3 dòng" in page and 'id="count-created">3<' in page

    response = client.post(reverse("teams:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportStatus.DONE, 3) and job.finished_at
    assert Membership.objects.count() == 3
    # Confirming twice does nothing more.
    client.post(reverse("teams:job_confirm", args=[job.pk]))
    assert Person.objects.count() == 3
    assert "danh-sach.xlsx" in client.get(reverse("teams:job_list")).content.decode()


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(client, world, personas):
    client.cookies["django_language"] = "vi"  # this test reads the pages in Vietnamese
    client.force_login(personas["commune"])
    bad = member_file([1, "Người Một", "1990", "Nam", "123", "", "", "Bản Giang", None])
    client.post(reverse("teams:members_import"), {"commune": world["K1"].pk, "file": upload(bad)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [(error["row"], error["column"]) for error in job.errors] == [
        (2, "Số điện thoại")
    ] and "“123”" in job.errors[0]["message"]
    assert "Tải lên tệp đã sửa" in client.get(reverse("teams:job_detail", args=[job.pk])).content.decode()
    client.post(reverse("teams:job_confirm", args=[job.pk]))
    assert Person.objects.count() == 0


def test_unsafe_uploads_are_refused_on_the_form(client, world, personas):
    client.force_login(personas["commune"])
    response = client.post(
        reverse("teams:members_import"), {"commune": world["K1"].pk, "file": upload(members(1), "ds.xlsm")}
    )
    assert response.status_code == 200 and ".xlsm" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.usefixtures("calamine_forbidden")
@pytest.mark.parametrize(
    "url, data", [("teams:members_import", {}), ("teams:villages_import", {"as_of": "01/01/2025"})]
)
def test_a_sheet_reaching_column_xfd_is_refused_on_the_form_before_it_is_read(client, world, personas, url, data):
    client.cookies["django_language"] = "vi"  # this test reads the pages in Vietnamese
    client.force_login(personas["commune"])
    response = client.post(
        reverse(url), {"commune": world["K1"].pk, "file": upload(far_cell_workbook("XFD100000")), **data}
    )
    assert response.status_code == 200
    assert "Ô XFD100000 nằm quá xa về bên phải" in response.content.decode()
    assert not ImportJob.objects.exists() and not Person.objects.exists() and not PopulationFigure.objects.exists()


@pytest.mark.parametrize("url", ["teams:members_import", "teams:villages_import"])
def test_posting_an_import_out_of_scope_answers_404_not_403(client, world, personas, url):
    """A team leader imports nothing: the import pages do not exist for them, whatever the method."""
    client.force_login(personas["leader"])
    response = client.post(reverse(url), {"commune": world["K1"].pk, "as_of": "01/01/2025", "file": upload(members(1))})
    assert response.status_code == 404
    job = ImportJob.objects.create(
        kind=ImportKind.MEMBERS, commune=world["K1"], file_name="ds.xlsx", status=ImportStatus.READY
    )
    assert client.post(reverse("teams:job_confirm", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get().status == ImportStatus.READY and not Person.objects.exists()


def test_a_commune_outside_the_scope_cannot_be_chosen(client, world, personas):
    client.force_login(personas["commune"])
    client.post(reverse("teams:members_import"), {"commune": world["K2"].pk, "file": upload(members(1))})
    assert not ImportJob.objects.exists()


def test_large_files_run_as_celery_tasks_with_progress(
    client, world, personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 5)
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("teams:members_import"), {"commune": world["K1"].pk, "file": upload(members(20))})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALIDATING and len(callbacks) == 1
    progress = client.get(reverse("teams:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode() and "HX-Refresh" not in progress

    callbacks[0]()  # the enqueued task, run eagerly
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportStatus.READY, 20)
    assert client.get(reverse("teams:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teams:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 20


def test_village_import_creates_villages_and_figures_then_updates(client, world, personas):
    rows = [
        ["DANH SÁCH THÔN, TỔ DÂN PHỐ XÃ THANH THỊNH"],
        [],
        ["STT", "Tên thôn", "Số hộ", "Số nhân khẩu", "Dân số trong độ tuổi lao động"],
        [1, "Bản Giang", 250, "1.020", 600],
        [2, "Thôn Nà Pài", 180, 700, 420],
        [3, "Tổ dân phố 2", 90, 300, 200],
        ["Tổng cộng", None, 520, 2020, 1220],
    ]
    client.force_login(personas["commune"])
    client.post(
        reverse("teams:villages_import"),
        {"commune": world["K1"].pk, "as_of": "01/01/2025", "file": upload(workbook_bytes(rows))},
    )
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.created, job.updated, job.errors) == (
        ImportKind.VILLAGES,
        ImportStatus.READY,
        2,
        1,
        [],
    )
    assert not Unit.objects.filter(name="Thôn Nà Pài").exists()  # the preview wrote nothing
    client.post(reverse("teams:job_confirm", args=[job.pk]))
    na_pai = Unit.objects.get(parent=world["K1"], name="Thôn Nà Pài")
    assert Unit.objects.get(parent=world["K1"], name="Tổ dân phố 2").division_type == "to_dan_pho"
    assert PopulationFigure.objects.get(unit=world["W1"]).population == 1020
    assert PopulationFigure.objects.get(unit=na_pai).working_age_population == 420

    rows[4] = [2, "Nà Pài", 180, 700, 900]  # more working-age people than people
    client.post(
        reverse("teams:villages_import"),
        {"commune": world["K1"].pk, "as_of": "01/01/2025", "file": upload(workbook_bytes(rows))},
    )
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.INVALID
    assert job.errors[0]["row"] == 5 and job.errors[0]["column"] == "Dân số trong độ tuổi lao động"


def test_a_superscript_digit_is_a_row_error_not_a_crash(client, world, personas):
    """Issue 12: "²" passes str.isdigit() but not int(): in a count or a village's number it crashed the import."""
    rows = [["Tên thôn", "Số hộ", "Số nhân khẩu"], ["Thôn ²", 10, 40], ["Bản Giang", "²", 40]]
    client.force_login(personas["commune"])
    client.post(
        reverse("teams:villages_import"),
        {"commune": world["K1"].pk, "as_of": "01/01/2025", "file": upload(workbook_bytes(rows))},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [(error["row"], error["column"]) for error in job.errors] == [(3, "Số hộ")] and "“²”" in job.errors[0][
        "message"
    ]


def test_a_job_whose_file_is_gone_fails_with_a_message(client, world, personas):
    client.cookies["django_language"] = "vi"  # this test reads the pages in Vietnamese
    client.force_login(personas["commune"])
    client.post(reverse("teams:members_import"), {"commune": world["K1"].pk, "file": upload(members(3))})
    job = ImportJob.objects.get()
    job.file.storage.delete(job.file.name)
    response = client.post(reverse("teams:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (
        job.status == ImportStatus.INVALID
        and job.errors[0]["message"] == "Tệp đã tải lên không còn được lưu: hãy tải tệp lên lại."
    )
    assert Person.objects.count() == 0


def test_village_import_cli(world, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "thon.xlsx"
    path.write_bytes(workbook_bytes([["Thôn", "Số hộ", "Số dân"], ["Bản Giang", 10, 40], ["Khuổi Cuồng", 12, 50]]))
    call_command("import_villages", str(path), "--commune", "02107", "--as-of", "01/01/2025")
    assert capsys.readouterr().out.strip() == "1 created, 1 updated, 0 unchanged"
    call_command("import_villages", str(path), "--commune", "02107", "--as-of", "01/01/2025")
    assert capsys.readouterr().out.strip() == "0 created, 0 updated, 2 unchanged"


def test_sample_download_is_a_valid_messy_list_for_the_users_commune(client, world, personas):
    from teams.spreadsheets.members import import_members

    client.force_login(personas["commune"])
    response = client.get(reverse("teams:members_sample"))
    result = import_members(io.BytesIO(response.content), commune=world["K1"], dry_run=True)
    assert result.ok and result.created > 5


def test_team_list_and_team_page_link_to_the_roster_export(client, world, personas):
    from teams.tests.factories import TeamFactory

    team = TeamFactory(unit=world["W1"])
    client.force_login(personas["commune"])
    listing = client.get(reverse("teams:list"), {"status": "active"}).content.decode()
    assert f'{reverse("teams:members_export")}?status=active"' in listing
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert f"{reverse('teams:members_export')}?team={team.pk}" in page
    response = client.get(reverse("teams:members_export"), {"team": team.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_former_excel_paths_redirect_permanently_to_the_same_page_under_teams(client, world, personas):
    """Old bookmarks of /excel/... keep working: every page of the section, query string kept."""
    from teams.urls import spreadsheet_urlpatterns

    client.force_login(personas["commune"])
    for page in spreadsheet_urlpatterns:
        kwargs = {"pk": 7} if "<int:pk>" in str(page.pattern) else {}
        new = reverse(f"teams:{page.name}", kwargs=kwargs)
        assert new.startswith("/teams/")
        response = client.get("/excel/" + new.removeprefix("/teams/") + "?team=3&status=active")
        assert (response.status_code, response.url) == (301, new + "?team=3&status=active"), page.name
    assert len(spreadsheet_urlpatterns) == 9
