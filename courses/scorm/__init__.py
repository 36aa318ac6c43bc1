"""SCORM 1.2 and 2004 packages as lessons of a course.

* ``package``: checks a zip before extraction and reads its manifest (pure).
* ``runtime``: reads a saved ``cmi`` and builds what a launch loads (pure).
* ``storage``: extracts a checked package into private storage and opens its files.
* ``services``: uploading a package, saving a learner's runtime data.
* ``forms``: the SCORM lesson's editor form (the zip upload).
* ``views``: the package's files under ``/scorm/`` with their own CSP, and the commit API.
"""
