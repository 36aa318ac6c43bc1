"""Notices: the texts HR edits (templates per kind, the signature), how they are filled in,
and the chat channels that can carry them (Microsoft Teams, LINE WORKS).

- ``kinds``: the kinds of notice; ``placeholders``: what each offers, the save-time check
  and the substitution; ``defaults``: the texts as shipped; ``models``: the CMS rows;
  ``rendering``: ``notice_render`` / ``notice_composer``;
- ``transport``: HTTP posting with short timeouts and the https-only rule; ``teams`` and
  ``lineworks``: the two channels; ``checks``: system checks of their settings.
"""
