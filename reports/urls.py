from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/<int:team_pk>/period/<int:period_pk>/", views.report_new, name="new"),
    path("new/<int:team_pk>/request/<int:request_pk>/", views.report_new, name="new_ad_hoc"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_view, name="photo"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("progress/", views.progress_view, name="progress"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:unit_pk>/", views.dashboard, name="dashboard_unit"),
    path("dashboard/<int:unit_pk>/teams/", views.dashboard_teams, name="dashboard_teams"),
    path("dashboard/<int:unit_pk>/report.xlsx", views.dashboard_excel, name="dashboard_excel"),
    path("dashboard/<int:unit_pk>/data.xlsx", views.dashboard_data, name="dashboard_data"),
    path("methodology/", views.methodology, name="methodology"),
    path("dashboard/<int:unit_pk>/recompute/", views.dashboard_recompute, name="dashboard_recompute"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:province_pk>/", views.schedule_edit, name="schedule_edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("quality/", views.quality_index, name="quality"),
    path("quality/<int:unit_pk>/", views.quality_unit, name="quality_unit"),
    path("quality/<int:unit_pk>/problems.xlsx", views.quality_excel, name="quality_excel"),
    path("quality/rules/<int:province_pk>/", views.quality_rules, name="quality_rules"),
    path("quality/rules/<int:province_pk>/new/", views.quality_rule_edit, name="quality_rule_create"),
    path("quality/rules/<int:province_pk>/<int:pk>/", views.quality_rule_edit, name="quality_rule_edit"),
    path("quality/rules/<int:province_pk>/<int:pk>/delete/", views.quality_rule_delete, name="quality_rule_delete"),
]
