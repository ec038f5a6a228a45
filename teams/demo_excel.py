"""Demo: the messy sample member list of a Mộ Đức commune, imported through the real import by the staff who
keep it, so the import log has an entry and three villages the teams demo left without a team get theirs.
Re-running changes nothing."""

import io

from accounts.models import User

from .import_jobs import import_job_record
from .imports import import_members
from .models_excel import ImportKind
from .samples import messy_member_workbook

SAMPLE_FILE_NAME = "danh-sach-to-cnscd-mau.xlsx"


def seed(units):
    commune = units["mo_duc_communes"][-1]
    villages = list(commune.children.order_by("name").values_list("name", flat=True)[2:5])
    officer = User.objects.filter(scope_unit__in=[commune, commune.parent]).order_by("pk").first()
    result = import_members(
        io.BytesIO(messy_member_workbook(commune.name, villages)), commune=commune, user=officer, file_name=SAMPLE_FILE_NAME
    )
    if result.created or result.updated:
        import_job_record(kind=ImportKind.MEMBERS, commune=commune, user=officer, file_name=SAMPLE_FILE_NAME, result=result)
    return result
