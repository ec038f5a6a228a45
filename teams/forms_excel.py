from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from totech.spreadsheets import MAX_UPLOAD_BYTES
from units.choices import Edition

# Above this many communes a drop-down is useless: the user types the commune's GSO code instead.
MAX_COMMUNE_CHOICES = 400


class ImportUploadForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 1024 // 1024}
        self.communes = communes
        if communes.count() > MAX_COMMUNE_CHOICES:
            self.fields["commune"] = forms.CharField(
                label=_("Commune code"), max_length=5, help_text=_("The commune's 5-digit GSO code, e.g. 02107.")
            )
        else:
            self.fields["commune"].queryset = communes.select_related("parent")
            self.fields["commune"].label_from_instance = lambda unit: f"{unit.name} ({unit.parent.name}, {unit.edition})"
            if communes.count() == 1:
                self.fields["commune"].initial = communes.first()

    def clean_commune(self):
        value = self.cleaned_data["commune"]
        if isinstance(value, str):
            matches = {unit.edition: unit for unit in self.communes.filter(code=value.strip().zfill(5))}
            value = matches.get(Edition.REFORMED) or matches.get(Edition.PRE_REFORM)
            if value is None:
                raise forms.ValidationError(_("No commune with this code is in your area."))
        return value


class VillageImportForm(ImportUploadForm):
    as_of = forms.DateField(label=_("Figures as of"), initial=timezone.localdate, help_text=_("dd/mm/yyyy"))
