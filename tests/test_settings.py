"""Settings the product relies on, and production settings that pass ``check --deploy``."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with ``env`` instead of any of these variables we have."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG"}
        and not key.startswith(("SECURE_", "CELERY_INTEGRATION_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_in(module: str, names: list[str], **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = _run(["-c", code], DJANGO_SETTINGS_MODULE=module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_check_deploy():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="dx.city.example.jp",
        CSRF_TRUSTED_ORIGINS="https://dx.city.example.jp",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://dx@127.0.0.1:5432/dx_training",
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_check_deploy_warns_without_a_broker():
    # The other side of the test above: the check can fail, and does when tasks would run
    # inside the web process.
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="".join(secrets.choice(string.ascii_letters) for _ in range(50)),
        ALLOWED_HOSTS="dx.city.example.jp",
    )
    assert result.returncode != 0
    assert "core.W002" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(
        ["-c", "from django.conf import settings; settings.SECRET_KEY"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="dx.city.example.jp",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_japanese_and_tokyo_time():
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ
    assert [code for code, _name in settings.LANGUAGES] == ["ja", "en"]


def test_celery_is_json_only_acks_late_and_time_limited():
    conf = celery_app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.timezone == "Asia/Tokyo"


def test_dev_runs_tasks_in_process_without_a_broker():
    names = ["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "DEBUG"]
    assert _settings_in("config.settings.dev", names) == {
        "CELERY_TASK_ALWAYS_EAGER": True,
        "CELERY_BROKER_URL": "",
        "DEBUG": True,
    }


def test_dev_uses_redis_when_redis_url_is_set():
    names = ["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"]
    assert _settings_in("config.settings.dev", names, REDIS_URL="redis://127.0.0.1:6379/3") == {
        "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3",
    }
