from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("", views.sign_in_rules, name="rules"),
    path("<int:pk>/delete/", views.sign_in_rule_delete_view, name="rule_delete"),
]
