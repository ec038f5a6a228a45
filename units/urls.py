from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_index, name="index"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("search/<slug:levels>/", views.unit_search, name="search"),
    path("<int:pk>/population/", views.population, name="population"),
    path("<int:pk>/population/edit/", views.population_edit, name="population_edit"),
    path("<int:pk>/population.xlsx", views.population_export, name="population_export"),
    path("<int:pk>/population/template.xlsx", views.population_template, name="population_template"),
]
