"""The shared cache backend: Django's RedisCache, but Redis being away is logged, not raised.

A cache only saves work (see `maturity.caching` for what goes in it). With Redis down or hung,
every read is a miss and every write is dropped, so pages are rendered anew and still served;
each failure is logged as a warning on the ``groeipad.cache`` logger. After a failure this
process leaves Redis alone for ``RETRY_AFTER`` seconds (an entry of the cache's ``OPTIONS``,
default 5): a hung Redis then costs one socket timeout per process every few seconds, not one
per cache call of every request. ``incr``/``decr`` (unused here) still raise: a counter cannot
be made up.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("groeipad.cache")

DEFAULT_RETRY_AFTER = 5.0


def _forgiving(fallback: Callable[..., Any]) -> Callable:
    """Run a cache method; on a Redis error log it, rest, and answer what `fallback` gives."""

    def decorator(method: Callable) -> Callable:
        @wraps(method)
        def wrapper(self: "ForgivingRedisCache", *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self.resting_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self.resting_until = time.monotonic() + self.retry_after
                logger.warning(
                    "Cache unavailable (%s in %s): serving without it for %.0f s",
                    type(error).__name__,
                    method.__name__,
                    self.retry_after,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _no(*args: Any, **kwargs: Any) -> bool:
    return False


def _all_keys_failed(data: dict, *args: Any, **kwargs: Any) -> list:
    return list(data)


def _none_found(*args: Any, **kwargs: Any) -> dict:
    return {}


class ForgivingRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are dropped while Redis cannot be reached."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        self.resting_until = 0.0
        super().__init__(server, {**params, "OPTIONS": options})

    get = _forgiving(_default)(RedisCache.get)
    get_many = _forgiving(_none_found)(RedisCache.get_many)
    has_key = _forgiving(_no)(RedisCache.has_key)
    add = _forgiving(_no)(RedisCache.add)
    set = _forgiving(_nothing)(RedisCache.set)
    set_many = _forgiving(_all_keys_failed)(RedisCache.set_many)
    touch = _forgiving(_no)(RedisCache.touch)
    delete = _forgiving(_no)(RedisCache.delete)
    delete_many = _forgiving(_nothing)(RedisCache.delete_many)
    clear = _forgiving(_nothing)(RedisCache.clear)
