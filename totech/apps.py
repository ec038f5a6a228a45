from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TotechConfig(AppConfig):
    default = True
    name = "totech"


class TotechAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "totech.admin.TotechAdminSite"
