from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_plan, name="plan"),
    path("new/", views.action_new, name="new"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/status/", views.action_status, name="status"),
    path("action-plan.csv", views.actions_csv, name="csv"),
    path("action-plan.ics", views.actions_ical, name="ical"),
    path("mail-settings/", views.mail_settings, name="mail_settings"),
]
