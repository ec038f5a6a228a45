from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_create, name="create"),
    path("mine/", views.my_team, name="mine"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/dissolve/", views.team_dissolve, name="dissolve"),
    path("<int:pk>/history/", views.team_history_view, name="history"),
    path("<int:pk>/members/new/", views.membership_add, name="membership_add"),
    path("<int:pk>/requests/new/", views.request_create, name="request_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("memberships/<int:pk>/fills-reports/", views.membership_fills_reports, name="membership_fills_reports"),
    path("memberships/<int:pk>/login/", views.member_login, name="member_login"),
    path("leader-logins/", views.leader_logins, name="leader_logins"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_decide, name="request_decide"),
    path("coverage/", views.coverage, name="coverage"),
    path("rules/", views.rules_index, name="rules_index"),
    path("rules/<int:province_pk>/", views.rules, name="rules"),
    path("rules/<int:province_pk>/<str:level>/", views.rule_edit, name="rule_edit"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_edit, name="training_edit"),
]
spreadsheet_urlpatterns = [
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
urlpatterns += spreadsheet_urlpatterns

# The spreadsheet pages were once the /excel/ section: its paths answer a permanent redirect to the same page under
# /teams/ (query string kept). Unnamed on purpose: nothing reverses them, so the permission matrix covers the pages
# they lead to, and teams/tests/test_excel_views.py checks every redirect.
excel_redirects = [
    path(str(page.pattern), RedirectView.as_view(pattern_name=f"teams:{page.name}", permanent=True, query_string=True))
    for page in spreadsheet_urlpatterns
]
