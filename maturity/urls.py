"""Project URLs: the language stays in a cookie, so URLs are the same in both languages."""

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from maturity import views as maturity_views
from maturity.password_reset import ThrottledPasswordResetView
from sso import views as sso_views

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
    path("shared/", include("reports.share_urls")),
    path("actions/", include("actions.urls")),
    path("groeipad/", include(maturity_patterns)),
    path("benchmark/", include("benchmarks.urls")),
    path("sign-in-rules/", include("sso.urls")),
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    # Only allauth's sign-in at an identity provider and its callback (and our pages for its
    # errors): none of its local sign-up, e-mail or password pages.
    path(
        "accounts/oidc/<str:provider_id>/login/",
        require_http_methods(["GET", "POST"])(oidc_views.login),
        name="openid_connect_login",
    ),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        require_http_methods(["GET", "POST"])(oidc_views.callback),
        name="openid_connect_callback",
    ),
    path(
        "accounts/3rdparty/login/cancelled/",
        sso_views.sign_in_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path(
        "accounts/3rdparty/login/error/",
        sso_views.sign_in_error,
        name="socialaccount_login_error",
    ),
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
