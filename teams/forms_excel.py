from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from totech.forms import PlausibleDateField
from totech.spreadsheets import MAX_UPLOAD_BYTES
from units.forms import UnitChoiceField
from units.models import Unit


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
