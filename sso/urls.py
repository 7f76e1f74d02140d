from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("", views.sign_in_rules, name="rules"),
    path("<int:pk>/delete/", views.sign_in_rule_delete_view, name="rule_delete"),
    path("second-factor/", views.require_mfa_view, name="require_mfa"),
    path("sign-ins/", views.sign_in_events, name="sign_ins"),
    path("sign-ins.csv", views.sign_in_events_csv, name="sign_ins_csv"),
]
