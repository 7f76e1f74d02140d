"""The address of the client behind a request, for login throttling (django-axes)."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind our one proxy what that proxy saw.

    With DJANGO_BEHIND_PROXY the proxy appends the address it was connected from to
    X-Forwarded-For, so only the right-most entry is trustworthy; anything left of it came from
    the client and can be forged. Without the setting the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ip_address(forwarded))
    except ValueError:
        return remote
