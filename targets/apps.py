from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("KPI targets")

    def ready(self):
        from .models import Indicator
        from .selectors import indicator_changed

        post_save.connect(indicator_changed, sender=Indicator, dispatch_uid="targets.indicator_changed.save")
        post_delete.connect(indicator_changed, sender=Indicator, dispatch_uid="targets.indicator_changed.delete")
