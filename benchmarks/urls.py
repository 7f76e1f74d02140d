from django.urls import path

from benchmarks import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.participation, name="participation"),
    path("sector/", views.sector, name="sector"),
    path("sector.csv", views.sector_export, name="sector_csv"),
]
