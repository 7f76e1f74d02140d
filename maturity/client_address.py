"""The address of the client behind a request (login throttling, reset limits), and the warning
when a request says it came through the proxy without coming from it."""

import logging
from datetime import UTC, datetime
from functools import lru_cache
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

logger = logging.getLogger("groeipad.proxy")

UNTRUSTED_FORWARDING_KEY = "proxy:untrusted-forwarded"
UNTRUSTED_FORWARDING_SECONDS = 24 * 60 * 60


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ip_network(proxy, strict=False) for proxy in proxies)


def _from_trusted_proxy(remote: str | None) -> bool:
    try:
        address = ip_address(remote or "")
    except ValueError:
        return False
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind our one proxy what that proxy saw.

    With DJANGO_BEHIND_PROXY the proxy appends the address it was connected from to
    X-Forwarded-For, so only the right-most entry is trustworthy, and only when the request came
    from the proxy itself (DJANGO_TRUSTED_PROXIES): a client that reaches the app directly could
    write any header (issue 31). Without the setting the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY or not _from_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ip_address(forwarded))
    except ValueError:
        return remote


def note_untrusted_forwarding(request: HttpRequest) -> None:
    """Behind the proxy, remember (for /healthz, in the shared cache) and log a request with
    X-Forwarded-For from an address that is not the proxy: the app is reachable around it."""
    if not settings.BEHIND_PROXY or "HTTP_X_FORWARDED_FOR" not in request.META:
        return
    remote = request.META.get("REMOTE_ADDR")
    if _from_trusted_proxy(remote):
        return
    seen = {"address": remote, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    # The first one of a day is kept and logged: a flood of such requests writes once.
    if caches["shared"].add(UNTRUSTED_FORWARDING_KEY, seen, UNTRUSTED_FORWARDING_SECONDS):
        logger.warning("X-Forwarded-For from %s, not a trusted proxy: header ignored", remote)


def untrusted_forwarding_seen() -> dict | None:
    """The last request with X-Forwarded-For from outside the trusted proxies (24 h), if any."""
    if not settings.BEHIND_PROXY:
        return None
    return caches["shared"].get(UNTRUSTED_FORWARDING_KEY)
