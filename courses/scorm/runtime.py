"""The SCORM data model on the server: what a saved ``cmi`` says, and what a launch loads.

Pure functions over plain data. The browser sends the whole ``cmi`` object the runtime
(scorm-again) holds; we keep it, and read from it the statuses, score, location and time with
the vocabulary of each edition, ignoring values outside it. Whether the lesson is done is
decided here from those values and the rule the editor chose, not by the browser.

SCORM 1.2 has one ``cmi.core.lesson_status`` (passed, completed, failed, incomplete, browsed,
not attempted); "passed" and "failed" imply the learner finished. SCORM 2004 splits it into
``cmi.completion_status`` and ``cmi.success_status``. A score in percent is
``cmi.score.scaled`` x 100 in 2004, else ``raw`` placed between ``min`` and ``max`` (0 and
100 when they are missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

LESSON_STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETION_STATUSES = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_STATUSES = {"passed", "failed", "unknown"}
# The longest time one launch may add (a tab left open over a holiday is not training).
MAX_SESSION_SECONDS = 24 * 3600

_HMS = re.compile(r"^(\d{1,4}):([0-5]?\d):([0-5]?\d(?:\.\d{1,2})?)$")
_ISO = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Progress:
    """What a ``cmi`` says, in the vocabulary of both editions."""

    lesson_status: str  # 1.2 only, else ""
    completion_status: str
    success_status: str
    score: Decimal | None  # percent, 0-100
    location: str
    session_seconds: int

    @property
    def completed(self) -> bool:
        return self.completion_status == "completed" or self.success_status == "passed"

    @property
    def passed(self) -> bool:
        return self.success_status == "passed"


def _text(value: Any, limit: int = 1000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def duration_seconds(value: Any) -> int:
    """``HHHH:MM:SS.SS`` (1.2) or an ISO 8601 duration (2004) in whole seconds; 0 if neither."""
    if not isinstance(value, str) or len(value) > 64:
        return 0
    if match := _HMS.match(value.strip()):
        hours, minutes, seconds = match.groups()
        return int(int(hours) * 3600 + int(minutes) * 60 + float(seconds))
    if (match := _ISO.match(value.strip())) and value.strip() not in ("P", "PT"):
        parts = {key: float(part) for key, part in match.groupdict().items() if part}
        seconds = (
            parts.get("y", 0) * 365 * 86400
            + parts.get("mo", 0) * 30 * 86400
            + parts.get("d", 0) * 86400
            + parts.get("h", 0) * 3600
            + parts.get("mi", 0) * 60
            + parts.get("s", 0)
        )
        return int(min(seconds, 10**9))
    return 0


def format_duration(seconds: int, *, is_2004: bool) -> str:
    """Seconds as each edition writes ``total_time``."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    if is_2004:
        return f"PT{hours}H{minutes}M{secs}S"
    return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}"


def _percent(score: Any, *, is_2004: bool) -> Decimal | None:
    if not isinstance(score, dict):
        return None
    if is_2004 and (scaled := _number(score.get("scaled"))) is not None:
        if -1 <= scaled <= 1:
            return max(Decimal(0), scaled * 100).quantize(Decimal("0.01"))
    raw = _number(score.get("raw"))
    if raw is None:
        return None
    low = _number(score.get("min"))
    high = _number(score.get("max"))
    low = Decimal(0) if low is None else low
    high = Decimal(100) if high is None else high
    if high <= low:
        return None
    percent = (raw - low) / (high - low) * 100
    return min(Decimal(100), max(Decimal(0), percent)).quantize(Decimal("0.01"))


def progress_of(cmi: dict, *, is_2004: bool) -> Progress:
    """What ``cmi`` (the runtime's JSON, ``{"core": ...}`` in 1.2) says."""
    if is_2004:
        completion = _text(cmi.get("completion_status"))
        success = _text(cmi.get("success_status"))
        return Progress(
            lesson_status="",
            completion_status=completion if completion in COMPLETION_STATUSES else "",
            success_status=success if success in SUCCESS_STATUSES else "",
            score=_percent(cmi.get("score"), is_2004=True),
            location=_text(cmi.get("location")),
            session_seconds=min(duration_seconds(cmi.get("session_time")), MAX_SESSION_SECONDS),
        )
    core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
    status = _text(core.get("lesson_status"))
    status = status if status in LESSON_STATUSES_12 else ""
    return Progress(
        lesson_status=status,
        completion_status=(
            "completed"
            if status in ("passed", "completed", "failed")
            else ("incomplete" if status in ("incomplete", "browsed") else "")
        ),
        success_status=status if status in ("passed", "failed") else "",
        score=_percent(core.get("score"), is_2004=False),
        location=_text(core.get("lesson_location")),
        session_seconds=min(duration_seconds(core.get("session_time")), MAX_SESSION_SECONDS),
    )


def rule_met(progress: Progress, *, rule: str, pass_score: int) -> bool:
    """Whether ``progress`` meets the lesson's rule (``ScormRule``)."""
    if rule == "passed":
        return progress.passed
    if rule == "score":
        return progress.score is not None and progress.score >= pass_score
    return progress.completed


def _kept(saved: Any, keys: tuple[str, ...]) -> dict[str, str]:
    """The non-empty text values of ``keys`` in ``saved`` (anything else, or no dict, is
    left out: a save is the package's data, not ours to trust)."""
    if not isinstance(saved, dict):
        return {}
    return {key: saved[key] for key in keys if isinstance(saved.get(key), str) and saved[key]}


def launch_data(
    *,
    saved: dict | None,
    is_2004: bool,
    learner_id: str,
    learner_name: str,
    total_seconds: int,
    mastery_score: int | None,
) -> dict:
    """The ``cmi`` to load before the package starts: the learner, and what the last save
    kept (location, suspend data, statuses, score) so the package resumes where it was left,
    even after a tab closed without a proper finish."""
    saved = saved if isinstance(saved, dict) else {}
    resumed = bool(saved)
    if is_2004:
        data: dict[str, Any] = {
            "learner_id": learner_id,
            "learner_name": learner_name,
            "entry": "resume" if resumed else "ab-initio",
            "total_time": format_duration(total_seconds, is_2004=True),
            **_kept(saved, ("location", "suspend_data", "completion_status", "success_status")),
        }
        if score := _kept(saved.get("score"), ("scaled", "raw", "min", "max")):
            data["score"] = score
        return data
    core_saved = saved.get("core") if isinstance(saved.get("core"), dict) else {}
    core: dict[str, Any] = {
        "student_id": learner_id,
        "student_name": learner_name,
        "entry": "resume" if resumed else "ab-initio",
        "credit": "credit",
        "total_time": format_duration(total_seconds, is_2004=False),
        **_kept(core_saved, ("lesson_location", "lesson_status")),
    }
    if score := _kept(core_saved.get("score"), ("raw", "min", "max")):
        core["score"] = score
    data = {"core": core, **_kept(saved, ("suspend_data",))}
    if mastery_score is not None:
        data["student_data"] = {"mastery_score": str(mastery_score)}
    return data
