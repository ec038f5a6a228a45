"""Forms collect and parse input; the services validate and save (so every rule lives in one place).

The model forms here skip Django's model validation (`_post_clean`): the service they feed runs full_clean()
and its ValidationError is put back on the form's fields by `totech.forms.add_service_errors`.
"""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from totech.dates import previous_quarter, quarter_bounds, quarter_of
from totech.forms import CleanCharField, CountField, PlausibleDateField, text_formfield
from totech.spreadsheets import MAX_UPLOAD_BYTES
from units.forms import UnitChoiceField
from units.models import Unit

from .choices import RequestKind
from .models import DEFAULT_TEAM_NAME, CompositionRule, Membership, MembershipRequest, Person, Team, Training
from .presets import preset_choices


class DateInput(forms.DateInput):
    """Dates typed as dd/mm/yyyy (the format module parses them), with a numeric keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        )


class ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        """The service validates the model: nothing to do here."""


class TeamForm(ServiceModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), levels="team", label=capfirst(_("unit served")))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    zalo_link = forms.URLField(label=capfirst(_("Zalo group link")), required=False, assume_scheme="https")

    class Meta:
        model = Team
        fields = ["unit", "name", "decision_number", "decision_date", "decision_signer", "zalo_link", "notes"]
        formfield_callback = text_formfield
        widgets = {"decision_date": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Leave it empty to use the usual name, “Tổ Công nghệ số cộng đồng” and the unit's name."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        """A team left without a name takes the usual one after the unit picked (not a name typed for
        another unit)."""
        data = super().clean()
        if not data.get("name") and data.get("unit"):
            data["name"] = DEFAULT_TEAM_NAME % data["unit"].name
        return data


class DissolveForm(forms.Form):
    dissolved_on = PlausibleDateField(label=capfirst(_("dissolved on")), widget=DateInput, initial=timezone.localdate)
    reason = CleanCharField(label=capfirst(_("reason")), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonForm(ServiceModelForm):
    phone = CleanCharField(
        label=capfirst(_("phone")), max_length=20, required=False, help_text=_("10 digits starting with 0.")
    )

    class Meta:
        model = Person
        fields = ["full_name", "gender", "birth_date", "birth_year", "phone", "email", "national_id"]
        formfield_callback = text_formfield
        widgets = {
            "birth_date": DateInput,
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "national_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }


class NewPersonForm(PersonForm):
    """The person fields of "add a member", optional when an existing person is chosen instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = False


class MembershipForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["role", "affiliation", "start_date", "end_date", "end_reason", "notes"]
        formfield_callback = text_formfield
        widgets = {"start_date": DateInput, "end_date": DateInput}


class MembershipAddForm(MembershipForm):
    existing_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=capfirst(_("an existing person")),
        help_text=_("Choose someone already on record, or leave empty and fill in a new person below."),
    )

    class Meta(MembershipForm.Meta):
        fields = ["existing_person", "role", "affiliation", "start_date", "notes"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_person"].queryset = people
        self.fields["start_date"].initial = timezone.localdate


class MembershipEndForm(forms.Form):
    end_date = PlausibleDateField(
        label=capfirst(_("last day in the team")), widget=DateInput, initial=timezone.localdate
    )
    reason = CleanCharField(label=capfirst(_("reason for leaving")), required=False, max_length=200)


class RequestForm(ServiceModelForm):
    existing_person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=capfirst(_("person"))
    )
    new_full_name = CleanCharField(
        label=capfirst(_("or a new person's full name")),
        required=False,
        max_length=150,
        help_text=_("For someone not yet on record who asks to join."),
    )
    new_phone = CleanCharField(
        label=capfirst(_("new person's phone")),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    class Meta:
        model = MembershipRequest
        fields = [
            "kind",
            "existing_person",
            "new_full_name",
            "new_phone",
            "role",
            "affiliation",
            "effective_date",
            "reason",
        ]
        formfield_callback = text_formfield
        widgets = {"effective_date": DateInput, "kind": forms.RadioSelect}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_person"].queryset = people
        self.fields["effective_date"].initial = timezone.localdate
        self.fields["role"].help_text = _("For a request to join.")

    def clean(self):
        data = super().clean()
        if not data.get("existing_person") and not data.get("new_full_name"):
            self.add_error("existing_person", _("Choose a person or type a new person's name."))
        if data.get("kind") == RequestKind.LEAVE and not data.get("existing_person"):
            self.add_error("existing_person", _("Choose the member who asks to leave."))
        return data


class DecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=capfirst(_("decision")),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
    )
    decider_name = CleanCharField(label=capfirst(_("decided by (name)")), max_length=150)
    decider_title = CleanCharField(label=capfirst(_("decider's title")), max_length=150, required=False)
    decided_on = PlausibleDateField(label=capfirst(_("decided on")), widget=DateInput, initial=timezone.localdate)
    note = CleanCharField(label=capfirst(_("decision note")), max_length=300, required=False)


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=capfirst(_("preset")), choices=preset_choices)


class RuleForm(ServiceModelForm):
    class Meta:
        model = CompositionRule
        fields = [
            "source",
            "min_size",
            "max_size",
            "requires_leader",
            "requires_deputy",
            "min_youth_union",
            "min_it_teachers",
            "preferred_max_age",
        ]
        formfield_callback = text_formfield
        field_classes = {
            name: CountField
            for name in ["min_size", "max_size", "min_youth_union", "min_it_teachers", "preferred_max_age"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_max_age"].help_text = _(
            "Members older than this are flagged (Mộ Đức 2024 prefers under 40: 39)."
        )


class AttendeeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} · {person.team_name}" if getattr(person, "team_name", "") else person.full_name


class TrainingForm(ServiceModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), levels="any", label=capfirst(_("organised for")))
    attendees = AttendeeField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=capfirst(_("attendees")),
    )

    class Meta:
        model = Training
        fields = ["unit", "date", "topic", "organiser", "format", "attendees"]
        formfield_callback = text_formfield
        widgets = {"date": DateInput, "format": forms.RadioSelect}

    def __init__(self, *args, units, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")
        self.fields["attendees"].queryset = candidates
        self.fields["organiser"].help_text = _("For example VNPT, Viettel, MobiFone, VNPost, FPT or the commune.")
        self.fields["attendees"].help_text = _("Tick the members who attended.")


def recent_quarters(today, count=8):
    """("2025-3", "Q3/2025") for this quarter and the ones before it."""
    year, quarter = quarter_of(today)
    choices = []
    for _step in range(count):
        choices.append((f"{year}-{quarter}", f"Q{quarter}/{year}"))
        year, quarter = previous_quarter(year, quarter)
    return choices


class RosterPeriodForm(forms.Form):
    """Who was in the team on a date, or at some time in a quarter."""

    on = PlausibleDateField(label=capfirst(_("on")), required=False, widget=DateInput)
    quarter = forms.ChoiceField(
        label=capfirst(_("or during")), required=False, widget=forms.Select(attrs={"class": "form-select-sm w-auto"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", "—")] + recent_quarters(timezone.localdate())

    def period(self):
        """(start, end) of the chosen quarter, (date, date) for a date, or None for today."""
        if not self.is_valid():
            return None
        if self.cleaned_data["quarter"]:
            year, quarter = map(int, self.cleaned_data["quarter"].split("-"))
            return quarter_bounds(year, quarter)
        if self.cleaned_data["on"]:
            return self.cleaned_data["on"], self.cleaned_data["on"]
        return None


class ImportUploadForm(forms.Form):
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none(), levels="commune")
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 1024 // 1024}
        self.fields["commune"].queryset = communes.select_related("parent")
        first_two = list(communes[:2])
        if len(first_two) == 1:
            self.fields["commune"].initial = first_two[0]


class VillageImportForm(ImportUploadForm):
    as_of = PlausibleDateField(label=_("Figures as of"), initial=timezone.localdate, help_text=_("dd/mm/yyyy"))


class CommunePickForm(forms.Form):
    """The commune whose team leaders are given logins (teams.views.leader_logins)."""

    commune = UnitChoiceField(queryset=Unit.objects.none(), levels="commune", label=capfirst(_("commune")))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
