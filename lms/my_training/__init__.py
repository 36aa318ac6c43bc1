"""My training: everyone's home page, what it reads, the cache that keeps it rendered, and
the hooks other apps add to it through."""
