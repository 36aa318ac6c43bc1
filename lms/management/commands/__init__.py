"""``stats_rebuild`` and ``stats_check``: the per-unit figures rebuilt and compared with a
recount."""
