from teams.models import ImportJob, ImportKind, ImportStatus
from totech.tests.permissions import ALL, Case

IMPORTERS = ALL - {"leader"}  # team leaders keep their roster on the team pages, they do not import lists


def job_in_thanh_thinh(world):
    job = ImportJob.objects.create(kind=ImportKind.MEMBERS, commune=world["K1"], file_name="ds.xlsx", status=ImportStatus.READY)
    return {"pk": job.pk}


THANH_THINH = frozenset({"admin", "province", "commune"})

CASES = [
    Case("excel:members_import", allowed=IMPORTERS),
    Case("excel:villages_import", allowed=IMPORTERS),
    Case("excel:job_list", allowed=IMPORTERS),
    Case("excel:members_sample", allowed=IMPORTERS),
    Case("excel:members_export", allowed=ALL),
    Case("excel:members_template", allowed=ALL),
    Case("excel:job_detail", kwargs=job_in_thanh_thinh, allowed=THANH_THINH),
    Case("excel:job_progress", kwargs=job_in_thanh_thinh, allowed=THANH_THINH),
    Case("excel:job_confirm", kwargs=job_in_thanh_thinh, allowed=THANH_THINH, allowed_status=405, label="excel:job_confirm (GET)"),
]
