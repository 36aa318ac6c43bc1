"""A cache backend whose server cannot be reached: every call raises, as Django's RedisCache
does when Redis is down."""

from django.core.cache.backends.base import BaseCache


class UnreachableCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = get_many = set_many = delete_many = clear = _down
    incr = has_key = _down
