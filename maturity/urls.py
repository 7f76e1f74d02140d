"""Project URLs: the language stays in a cookie, so URLs are the same in both languages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from maturity import views as maturity_views
from maturity.password_reset import ThrottledPasswordResetView

maturity_patterns = (
    [
        path("", maturity_views.growth_path, name="growth_path"),
        path("models/", maturity_views.model_overview, name="model_overview"),
    ],
    "maturity",
)

urlpatterns = [
    path("", include("assessments.urls")),
    path("assessments/", include("reports.urls")),
    path("actions/", include("actions.urls")),
    path("groeipad/", include(maturity_patterns)),
    path("benchmark/", include("benchmarks.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "maturity.views.bad_request"
handler403 = "maturity.views.permission_denied"
handler404 = "maturity.views.page_not_found"
handler500 = "maturity.views.server_error"
