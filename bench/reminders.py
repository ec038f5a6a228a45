"""The daily reminders of a few provinces on the national data set.

    .venv/bin/python bench/reminders.py --database postgres://postgres@127.0.0.1:5432/totech_national \
        [--provinces 46,79] [--today 2026-12-03]

Runs reports.services.reminders_send for each province (by code) inside a transaction that is rolled back, so
the database is left as it was, and prints wall-clock seconds, CPU seconds of this process and of its
PostgreSQL backend (read from /proc, so PostgreSQL must run on this host), queries, reminders sent and
e-mails, and a digest of what was sent (notifications and e-mails, sorted) to compare two versions of the code.
"""

import argparse
import datetime
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from member_import import backend_cpu_seconds, backend_pid, setup_django  # noqa: E402


class Rollback(Exception):
    pass


def digest(notifications, outbox) -> str:
    sent = sorted((n.user_id, n.kind, n.key, n.message, n.url, n.emailed) for n in notifications)
    mails = sorted((tuple(m.to), m.subject, m.body) for m in outbox)
    return hashlib.sha256(repr((sent, mails)).encode()).hexdigest()[:12]


def run(code: str, today: datetime.date) -> dict:
    from django.conf import settings
    from django.core import mail
    from django.db import connection, transaction

    from reports.models import Notification
    from reports.services import reminders_send
    from units.choices import Level
    from units.models import Unit

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    province = Unit.objects.get(level=Level.PROVINCE, code=code)
    result = {"province": province.name}
    try:
        with transaction.atomic():
            before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            backend = backend_pid()
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
                t0, c0, b0 = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
                result["sent"] = reminders_send(province=province, today=today)
                result["wall"] = time.perf_counter() - t0
                result["cpu"] = time.process_time() - c0
                result["backend_cpu"] = backend_cpu_seconds(backend) - b0
            result["queries"] = len(queries)
            result["emails"] = len(mail.outbox)
            result["digest"] = digest(Notification.objects.filter(pk__gt=before), mail.outbox)
            raise Rollback
    except Rollback:
        pass
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/totech_national")
    parser.add_argument("--provinces", default="46,79", help="province codes, comma-separated")
    parser.add_argument("--today", default="2026-12-03", type=datetime.date.fromisoformat)
    args = parser.parse_args()
    setup_django(args.database)
    print(f"today {args.today:%d/%m/%Y}, load average {Path('/proc/loadavg').read_text().split()[0]}")
    for code in args.provinces.split(","):
        r = run(code, args.today)
        print(
            f"{code} {r['province']}: {r['wall']:.2f} s wall, CPU {r['cpu']:.2f} s + backend {r['backend_cpu']:.2f} s, "
            f"{r['queries']} queries, {r['sent']} reminders, {r['emails']} e-mails, digest {r['digest']}"
        )
    print(f"load average after {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
