"""Project URLs: the language stays in a cookie, so URLs are the same in both languages."""

from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_safe

from maturity import views as maturity_views
from maturity.password_reset import ThrottledPasswordResetView
from sso import oidc as sso_oidc
from sso import views as sso_views

get_post = require_http_methods(["GET", "POST"])

sso_mfa_patterns = [
    path("", require_safe(mfa_views.index), name="mfa_index"),
    path("authenticate/", get_post(mfa_views.authenticate), name="mfa_authenticate"),
    path("totp/activate/", get_post(totp_views.activate_totp), name="mfa_activate_totp"),
    path("totp/deactivate/", get_post(totp_views.deactivate_totp), name="mfa_deactivate_totp"),
    path(
        "recovery-codes/",
        require_safe(recovery_views.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "recovery-codes/generate/",
        get_post(recovery_views.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "recovery-codes/download/",
        require_safe(recovery_views.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
]

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
    path("trajectories/", include("trajectories.urls")),
    path("sign-in-rules/", include("sso.urls")),
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    # The names allauth's own views and templates use for these two pages.
    path("accounts/login/", sso_views.LoginView.as_view(), name="account_login"),
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="account_logout"),
    # The second factor: allauth.mfa's pages for an authenticator app and recovery codes (not its
    # security keys, re-authentication or trusted browsers), each with the methods it takes.
    path("accounts/2fa/", include(sso_mfa_patterns)),
    # The admin's own login form would skip the second factor: it is the login page instead.
    path("admin/login/", sso_views.admin_login),
    # And its logout is Groeipad's, which also ends the session at the identity provider.
    path("admin/logout/", sso_views.LogoutView.as_view()),
    # Only allauth's sign-in at an identity provider and its callback (and our pages for its
    # errors): none of its local sign-up, e-mail or password pages.
    path(
        "accounts/oidc/<str:provider_id>/login/",
        require_http_methods(["GET", "POST"])(sso_oidc.login),
        name="openid_connect_login",
    ),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        require_http_methods(["GET", "POST"])(sso_oidc.callback),
        name="openid_connect_callback",
    ),
    path("accounts/oidc/link/", sso_views.link_confirm_view, name="sso_link_confirm"),
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
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="logout"),
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
    # Django's language switch (django.conf.urls.i18n), for LANGUAGES only.
    path("i18n/setlang/", maturity_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "maturity.views.bad_request"
handler403 = "maturity.views.permission_denied"
handler404 = "maturity.views.page_not_found"
handler500 = "maturity.views.server_error"
