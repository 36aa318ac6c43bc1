"""Logging that keeps personal data out: a masking filter, a JSON formatter, axes' client string.

Our own code logs ids, never names, e-mail addresses or employee numbers (the test in
``tests/security/test_logging.py`` holds it to that). :class:`PersonalDataFilter` is the net
under that rule for what third-party code and exception texts carry: e-mail addresses, runs of
digits shaped like employee numbers, and people passed as log arguments are masked before a
record reaches a handler.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from .request_context import current_request_id

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 職員番号 are 5 to 10 digits; a digit run of that length standing alone is masked. Longer or
# dotted numbers (timestamps, addresses, versions) are left alone.
EMPLOYEE_NUMBER = re.compile(r"(?<![A-Za-z0-9_.:/-])[0-9０-９]{5,10}(?![A-Za-z0-9_.:/-])")
EMAIL_MASK = "[email]"
NUMBER_MASK = "[number]"


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses and employee-number-like digit runs replaced."""
    return EMPLOYEE_NUMBER.sub(NUMBER_MASK, EMAIL.sub(EMAIL_MASK, text))


def _safe_arg(value):
    # A person passed as an argument is logged by id: str(user) is the name.
    if getattr(getattr(value, "_meta", None), "label", "") == "lms.User":
        return f"user#{value.pk}"
    if isinstance(value, str):
        return mask_personal_data(value)
    return value


class PersonalDataFilter(logging.Filter):
    """Mask personal data in the message, its arguments and any exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: _safe_arg(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_safe_arg(value) for value in record.args)
        if isinstance(record.msg, str):
            record.msg = mask_personal_data(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    """Put the id of the request being served on the record (``request_id``, "" outside)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines: address and path, not the login.

    Axes' default puts the user name (an employee number or e-mail address) in the warning
    it writes on every lockout.
    """
    return json.dumps({"ip_address": ip_address, "path_info": path_info})


def logging_config(*, json_format: bool, level: str) -> dict:
    """The LOGGING setting: console output, plain or JSON, with both filters."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "personal_data": {"()": "config.logging.PersonalDataFilter"},
            "request_id": {"()": "config.logging.RequestIdFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "config.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_format else "plain",
                "filters": ["request_id", "personal_data"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # Chatty at INFO: every CSS step of a PDF, every search-index task of a publish.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
        },
    }
