"""Development tools: the demo city (``manage.py seed_demo``) and the city-scale benchmark
(``manage.py benchmark``).

Only the dev, test and benchmark settings install this app; production settings never do, and
a production install does not ship it (``pyproject.toml``). It may use every product app; no
product app imports it.
"""
