"""The organisation: units (部/課/係) and their paths, people's places and roles, the roster
import, and the one module that answers who may see whom (``org.access``). It sits below
every app that trains, reviews or reports, and imports none of them."""
