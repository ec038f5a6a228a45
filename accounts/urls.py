from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("export/", views.user_export, name="export"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/edit/", views.user_edit, name="edit"),
    path("<int:pk>/deactivate/", views.user_set_active, {"active": False}, name="deactivate"),
    path("<int:pk>/reactivate/", views.user_set_active, {"active": True}, name="reactivate"),
    path("<int:pk>/password/", views.user_reset_password, name="reset_password"),
]
