from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from teams.urls import excel_redirects

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("units.urls")),
    path("teams/", include("teams.urls")),
    path("targets/", include("targets.urls")),
    path("excel/", include(excel_redirects)),  # the former /excel/ section, now under /teams/
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
