"""The benchmark releases in the admin: a read-only list and "release now" for staff."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benchmarks.models import Release
from benchmarks.services import benchmark_release_all


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Who released which model's benchmark when; staff with the add permission release anew."""

    list_display = ("model_slug", "released_at", "released_by", "group_count")
    list_filter = ("model_slug",)
    readonly_fields = ("model_slug", "released_at", "released_by")
    change_list_template = "admin/benchmarks/release/change_list.html"

    @admin.display(description=_("groups"))
    def group_count(self, release: Release) -> int:
        return len(release.groups)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        release_now = self.admin_site.admin_view(require_POST(self.release_now))
        return [
            path("release-now/", release_now, name="benchmarks_release_now"),
            *super().get_urls(),
        ]

    def release_now(self, request: HttpRequest) -> HttpResponseRedirect:
        """Compute a release of every published model now (POST, staff with the add permission)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        releases = benchmark_release_all(user=request.user)
        self.message_user(
            request,
            _("Released the benchmark of %(count)d model(s).") % {"count": len(releases)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:benchmarks_release_changelist"))

    def add_view(self, request, form_url="", extra_context=None):
        # A release is computed, never typed in: "add" is the button on the list.
        return HttpResponseRedirect(reverse("admin:benchmarks_release_changelist"))
