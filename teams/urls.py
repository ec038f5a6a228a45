from django.urls import path

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
