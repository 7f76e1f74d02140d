from django.contrib import admin

from sso.models import RuleMembership, SignInRule


@admin.register(SignInRule)
class SignInRuleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "provider_id", "claim", "value", "role", "created_at")
    list_filter = ("provider_id", "role")
    search_fields = ("organisation__name", "claim", "value")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("created_by", "created_at")


@admin.register(RuleMembership)
class RuleMembershipAdmin(admin.ModelAdmin):
    list_display = ("membership", "rule")
    list_select_related = ("membership__user", "membership__organisation", "rule")
    readonly_fields = ("membership", "rule")
