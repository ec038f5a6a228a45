"""The cache backend used with Redis: Django's RedisCache, except that Redis being down or slow is a cache miss
(logged), never an error page. The cache only holds figures that can be recomputed or go without (an import's
progress bar); sessions, logins, lockouts and approvals live in the database, so the portal keeps working."""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _or(fallback):
    """Run the cache call; on a Redis error log it and answer `fallback(*args, **kwargs)` instead."""

    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("cache %s skipped, Redis unavailable: %s", method.__name__, error)
                return fallback(*args, **kwargs)

        return call

    return decorate


class ResilientRedisCache(RedisCache):
    get = _or(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _or(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _or(lambda key, version=None: False)(RedisCache.has_key)
    add = _or(lambda *args, **kwargs: False)(RedisCache.add)
    set = _or(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _or(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _or(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _or(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _or(lambda *args, **kwargs: None)(RedisCache.delete_many)
