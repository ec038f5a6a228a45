from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.target_overview, name="overview"),
    path("assign/", views.target_assign, name="assign"),
    path("assign/import/", views.target_import, name="import"),
    path("export/", views.target_export, name="export"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/generate/", views.period_generate, name="period_generate"),
    path("campaigns/new/", views.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_edit, name="campaign_edit"),
    path("thresholds/", views.threshold_index, name="threshold_index"),
    path("thresholds/<int:province_pk>/", views.threshold_edit, name="threshold_edit"),
]
