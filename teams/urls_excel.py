from django.urls import path

from . import views_excel as views

app_name = "excel"
urlpatterns = [
    path("members/import/", views.members_import, name="members_import"),
    path("members/export/", views.members_export, name="members_export"),
    path("members/template/", views.members_template, name="members_template"),
    path("members/sample/", views.members_sample, name="members_sample"),
    path("villages/import/", views.villages_import, name="villages_import"),
    path("imports/", views.job_list, name="job_list"),
    path("imports/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
]
