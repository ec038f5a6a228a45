from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_index, name="index"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("search/<slug:levels>/", views.unit_search, name="search"),
]
