"""Change history (django-simple-history) as the pages show it: who changed what, when, old → new.
One path for every app (the team page, a user's page); templates render it with teams/includes/history.html."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass
class Change:
    when: datetime.datetime
    user: object
    subject: str
    action: str
    fields: list  # (label, old, new); old is None when the record was created

    @property
    def created(self):
        return self.action == ACTIONS["+"]


ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


def history_change(record, previous, subject: str, skip=frozenset()) -> Change:
    """One history record as a Change: every filled field when it created the object (but those in `skip`),
    else the fields that differ from the `previous` record of the same object."""
    model = record.instance_type
    if previous is None:
        fields = [
            (field.verbose_name, None, display_value(field, getattr(record, field.attname)))
            for field in model._meta.concrete_fields
            if field.editable
            and not field.primary_key
            and field.name not in skip
            and getattr(record, field.attname) not in (None, "")
        ]
    else:
        delta = record.diff_against(previous)
        fields = [
            (
                model._meta.get_field(change.field).verbose_name,
                display_value(model._meta.get_field(change.field), change.old),
                display_value(model._meta.get_field(change.field), change.new),
            )
            for change in delta.changes
        ]
    return Change(record.history_date, record.history_user, subject, ACTIONS.get(record.history_type, ""), fields)


def display_value(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)
