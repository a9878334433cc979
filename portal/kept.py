"""Values kept in the shared cache only to save work (the sums of a snapshot that never
changes). With the cache down they are computed again instead: a page that needs the cache
only to be faster keeps working (decision 0017), it is only slower."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def kept[T](key: str, compute: Callable[[], T], *, seconds: int) -> T:
    """The value under ``key``, or ``compute()`` kept there for ``seconds``. A cache that is
    down or does not answer is passed by: the value is computed and not kept."""
    try:
        found = cache.get(key)
    except _UNAVAILABLE as exc:
        logger.warning("The cache is unavailable; %s is computed again: %r", key, exc)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, seconds)
    except _UNAVAILABLE as exc:
        logger.warning("The cache is unavailable; %s is not kept: %r", key, exc)
    return value
