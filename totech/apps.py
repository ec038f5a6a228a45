from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TotechConfig(AppConfig):
    default = True
    name = "totech"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_activity_clock

        user_logged_in.connect(start_activity_clock, dispatch_uid="totech.start_activity_clock")


class TotechAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "totech.admin.TotechAdminSite"
