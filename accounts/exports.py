"""The user list as Excel. Every cell passes through `escape_formula`; every export is logged in ExportLog;
e-mail addresses and phone numbers are masked, as the portal masks personal data outside its edit forms."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from totech.spreadsheets import escape_formula

from .choices import ExportKind
from .models import User
from .services import export_log

COLUMN_WIDTHS = [6, 22, 28, 26, 34, 24, 14, 12, 18]


def mask_phone(phone: str) -> str:
    """All but the last 3 digits hidden."""
    return "•" * (len(phone) - 3) + phone[-3:] if len(phone) > 3 else "•" * len(phone)


def mask_email(email: str) -> str:
    """The first character of the mailbox and the domain: "n•••@gmail.com"."""
    if "@" not in email:
        return ""
    name, domain = email.rsplit("@", 1)
    return f"{name[:1]}•••@{domain}"


def _cell(sheet, value, bold=False):
    cell = WriteOnlyCell(sheet, value=escape_formula(value))
    if bold:
        cell.font = Font(bold=True)
    return cell


def export_users(users, *, actor: User, scope_label: str, filters: str = "") -> bytes:
    """The accounts as .xlsx bytes, and a record of the export."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Users")[:31])
    for position, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + position)].width = width
    sheet.append([_cell(sheet, _("PORTAL ACCOUNTS"), bold=True)])
    sheet.append([_cell(sheet, f"{scope_label} · {date_format(timezone.localdate(), 'SHORT_DATE_FORMAT')}")])
    sheet.append([])
    headers = [
        _("No."),
        _("Username"),
        _("Full name"),
        _("Role"),
        _("Scope unit"),
        _("E-mail"),
        _("Phone"),
        _("Status"),
        _("Last login"),
    ]
    sheet.append([_cell(sheet, header, bold=True) for header in headers])
    count = 0
    for count, user in enumerate(users, start=1):
        last_login = timezone.localtime(user.last_login).strftime("%d/%m/%Y %H:%M") if user.last_login else ""
        sheet.append(
            [
                _cell(sheet, value)
                for value in [
                    count,
                    user.username,
                    user.get_full_name(),
                    user.get_role_display(),
                    str(user.scope_unit or ""),
                    mask_email(user.email),
                    mask_phone(user.phone),
                    pgettext("account status", "active")
                    if user.is_active
                    else pgettext("account status", "deactivated"),
                    last_login,
                ]
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    export_log(user=actor, kind=ExportKind.USERS, scope=f"{scope_label} {filters}", row_count=count)
    return buffer.getvalue()
