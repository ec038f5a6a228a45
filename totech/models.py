from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from .text import clean_input_text


class CleanTextModel:
    """For models with names and texts people type: full_clean() (every service's, the admin's) passes each plain
    CharField and TextField through `totech.text.clean_input_text`, so whatever the way in, the text is stored in NFC
    and control characters, direction overrides and invisible-only text are refused on their field. Forms
    clean the same way first (totech.forms.CleanCharField); bulk imports call clean_input_text themselves."""

    def clean_fields(self, exclude=None):
        errors = {}
        for field in self._meta.fields:
            if type(field) not in (models.CharField, models.TextField) or field.choices or not field.editable:
                continue
            value = getattr(self, field.attname)
            if (exclude and field.name in exclude) or not isinstance(value, str) or not value:
                continue
            try:
                cleaned = clean_input_text(
                    value, label=capfirst(field.verbose_name), multiline=isinstance(field, models.TextField)
                )
            except ValidationError as error:
                errors[field.name] = error.error_list
            else:
                setattr(self, field.attname, cleaned)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
