"""Demo: the messy sample member list of the first Mộ Đức commune, imported through the real import as its
commune officer, so the import log has an entry and the villages have teams. Re-running changes nothing."""

import io

from accounts.models import User

from .import_jobs import import_job_record
from .imports import import_members
from .models_excel import ImportKind
from .samples import messy_member_workbook

SAMPLE_FILE_NAME = "danh-sach-to-cnscd-mau.xlsx"


def seed(units):
    commune = units["mo_duc_communes"][0]
    villages = list(commune.children.order_by("name").values_list("name", flat=True)[:3])
    officer = User.objects.filter(scope_unit=commune).first()
    result = import_members(
        io.BytesIO(messy_member_workbook(commune.name, villages)), commune=commune, user=officer, file_name=SAMPLE_FILE_NAME
    )
    if result.created or result.updated:
        import_job_record(kind=ImportKind.MEMBERS, commune=commune, user=officer, file_name=SAMPLE_FILE_NAME, result=result)
    return result
