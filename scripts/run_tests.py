#!/usr/bin/env python
"""Run the whole test suite against real PostgreSQL and Redis: the body of ``make test``.

Services are found in this order (the first that answers wins):

PostgreSQL
  1. ``DATABASE_URL`` from the environment (it must answer; a wrong URL is an error);
  2. the local default server on 127.0.0.1:5432, as the current OS user or as ``postgres``
     (trust authentication, no password);
  3. a throwaway server started here from the installed binaries (``initdb`` + ``pg_ctl``
     from ``/usr/lib/postgresql/*/bin``) in a temporary folder on a free loopback port. As root
     it runs as the ``postgres`` OS user, since PostgreSQL refuses to run as root.

Redis
  1. ``REDIS_URL`` from the environment (it must answer);
  2. 127.0.0.1:6379;
  3. a throwaway ``redis-server`` on a free loopback port, without persistence.

``DX_TEST_FORCE_THROWAWAY=1`` skips steps 1 and 2 of both, to exercise the throwaway servers.

Chromium (``-m e2e``), ffmpeg (video lessons) and slapd (``-m ldap``)
  Debian's packages, found or installed when we are root on Debian (``debian_tools.py``).
  Without one, the tests that need it are deselected with a loud warning; under ``CI=true``
  that is a failure.

With both services the integration tests (``-m integration``: a real Celery worker process) run
too. Without them: under ``CI=true`` that is a failure; otherwise the other tests run and a
warning says plainly that the integration tests were skipped.

Before pytest it runs ``makemigrations --check --dry-run``, ``check`` and the import contract
of the layers (``lint-imports``, configured in pyproject.toml). Extra arguments go to
pytest unchanged (``make test ARGS="-k roster"``). Throwaway servers are always stopped at the
end. The exit status is pytest's; "no tests collected" (5) counts as a failure.
"""

from __future__ import annotations

import contextlib
import getpass
import glob
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from debian_tools import find_chromium, find_ffmpeg, find_slapd, say

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_NAME = "dx_training"  # pytest-django creates and drops test_dx_training
PYTEST_NO_TESTS_COLLECTED = 5


class ServiceError(Exception):
    """A service the user pointed us at explicitly does not work."""


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# PostgreSQL -----------------------------------------------------------------------------------


def postgres_answers(url: str) -> str | None:
    """Connect to the server of ``url`` (its maintenance database); return None or the error."""
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or None,
            port=parts.port or 5432,
            user=parts.username or None,
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def postgres_url(user: str, host: str, port: int, name: str = DEFAULT_DB_NAME) -> str:
    return f"postgres://{quote(user, safe='')}@{host}:{port}/{name}"


def postgres_binaries() -> Path | None:
    """The newest installed folder that holds both initdb and pg_ctl."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    candidates = [path for path in candidates if (path / "pg_ctl").exists()]
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def as_service_user(argv: list[str]) -> list[str] | None:
    """``argv`` as it must run: as ourselves, or as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    if shutil.which("su"):
        return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
    return None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """Start a private PostgreSQL in a temporary folder; yield its URL, or None if impossible."""
    bindir = postgres_binaries()
    if bindir is None:
        say("No PostgreSQL binaries (initdb, pg_ctl) installed: cannot start a throwaway server.")
        yield None
        return
    if as_service_user(["true"]) is None:
        say(
            "Running as root without a 'postgres' OS user (or runuser/su): PostgreSQL refuses "
            "to run as root, so no throwaway server."
        )
        yield None
        return

    workdir = Path(tempfile.mkdtemp(prefix="dx-test-pg-"))
    datadir, logfile = workdir / "data", workdir / "postgres.log"
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
    port = free_port()
    pg_ctl = str(bindir / "pg_ctl")
    url = None
    try:
        say(
            f"Starting a throwaway PostgreSQL {bindir.parent.name} on 127.0.0.1:{port} in {workdir}"
        )
        try:
            run_quiet(
                as_service_user(
                    [
                        str(bindir / "initdb"),
                        "-D",
                        str(datadir),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-locale",
                        "--no-sync",
                    ]
                )
            )
            options = (
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            run_quiet(
                as_service_user(
                    [
                        pg_ctl,
                        "-D",
                        str(datadir),
                        "-l",
                        str(logfile),
                        "-o",
                        options,
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ]
                )
            )
            url = postgres_url("postgres", "127.0.0.1", port)
        except subprocess.CalledProcessError as exc:
            say(f"Could not start the throwaway PostgreSQL: {exc}\n{tail(logfile)}")
        yield url
    finally:
        if url:
            say("Stopping the throwaway PostgreSQL")
            subprocess.run(
                as_service_user([pg_ctl, "-D", str(datadir), "-m", "immediate", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)


def find_postgres(stack: contextlib.ExitStack, force_throwaway: bool) -> str | None:
    if not force_throwaway:
        url = os.environ.get("DATABASE_URL", "")
        if url:
            if not url.startswith(("postgres://", "postgresql://")):
                say(f"DATABASE_URL is not PostgreSQL ({url.split(':', 1)[0]}).")
                return None
            error = postgres_answers(url)
            if error:
                raise ServiceError(f"DATABASE_URL does not answer: {error}")
            say(f"PostgreSQL: DATABASE_URL ({redact(url)})")
            return url
        for user in dict.fromkeys([getpass.getuser(), "postgres"]):
            url = postgres_url(user, "127.0.0.1", 5432)
            if postgres_answers(url) is None:
                say(f"PostgreSQL: local server on 127.0.0.1:5432 as {user}")
                return url
        say("No PostgreSQL on 127.0.0.1:5432 that lets us in without a password.")
    return stack.enter_context(throwaway_postgres())


# Redis ----------------------------------------------------------------------------------------


def redis_answers(url: str) -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, OSError) as exc:
        return str(exc) or type(exc).__name__
    return None


@contextlib.contextmanager
def throwaway_redis() -> Iterator[str | None]:
    server = shutil.which("redis-server")
    if server is None:
        say("No redis-server installed: cannot start a throwaway Redis.")
        yield None
        return
    workdir = Path(tempfile.mkdtemp(prefix="dx-test-redis-"))
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    say(f"Starting a throwaway Redis on 127.0.0.1:{port}")
    log = (workdir / "redis.log").open("wb")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while redis_answers(url) is not None:
            if process.poll() is not None or time.monotonic() > deadline:
                say(f"The throwaway Redis did not start.\n{tail(workdir / 'redis.log')}")
                url = None
                break
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            if url:
                say("Stopping the throwaway Redis")
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def find_redis(stack: contextlib.ExitStack, force_throwaway: bool) -> str | None:
    if not force_throwaway:
        url = os.environ.get("REDIS_URL", "")
        if url:
            error = redis_answers(url)
            if error:
                raise ServiceError(f"REDIS_URL does not answer: {error}")
            say(f"Redis: REDIS_URL ({redact(url)})")
            return url
        url = "redis://127.0.0.1:6379/0"
        if redis_answers(url) is None:
            say("Redis: local server on 127.0.0.1:6379")
            return url
        say("No Redis on 127.0.0.1:6379.")
    return stack.enter_context(throwaway_redis())


# The migrated template database --------------------------------------------------------------


def migrations_key() -> str:
    """What a migrated database depends on: every migration of ours and the pinned versions of
    the packages that bring theirs (Django, Wagtail ...)."""
    import hashlib

    digest = hashlib.sha256((ROOT / "constraints.txt").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def template_database(database_url: str) -> str | None:
    """A database migrated once, kept between runs and remade when the migrations change: the
    test databases (one per pytest-xdist worker) are copies of it (``CREATE DATABASE ...
    TEMPLATE``), so no run migrates from scratch. None when it cannot be made (the tests then
    migrate as usual)."""
    import psycopg

    parts = urlsplit(database_url)
    base = (parts.path.lstrip("/") or DEFAULT_DB_NAME).replace("-", "_")
    name = f"{base}_template_{migrations_key()}"
    admin = {
        "host": parts.hostname or None,
        "port": parts.port or 5432,
        "user": parts.username or None,
        "password": parts.password or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        existing = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_template_%"]
            )
        ]
        if name in existing:
            say(f"Test database template: {name} (migrated before)")
            return name
        for stale in existing:  # made by older migrations
            with contextlib.suppress(psycopg.Error):
                conn.execute(f'DROP DATABASE "{stale}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"Test database template: migrating {name}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    if subprocess.run(migrate, cwd=ROOT, env=env, check=False).returncode == 0:
        return name
    say("Migrating the template failed; the tests migrate their own databases.")
    with psycopg.connect(**admin) as conn, contextlib.suppress(psycopg.Error):
        conn.execute(f'DROP DATABASE "{name}"')
    return None


# Running --------------------------------------------------------------------------------------


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_quiet(argv: list[str] | None) -> None:
    """Run a helper command; on failure show its output (CalledProcessError is raised)."""
    assert argv is not None
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        result.check_returncode()


def manage(*args: str) -> int:
    """A management command with the test settings and a private in-memory database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "sqlite://:memory:",
    }
    say("manage.py " + " ".join(args))
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env).returncode


class Terminated(Exception):
    """SIGTERM arrived (a CI timeout, say)."""


def raise_on_sigterm() -> None:
    """Turn SIGTERM into an exception, so that the ``finally`` blocks stop throwaway servers."""

    def handler(signum, frame):
        raise Terminated

    signal.signal(signal.SIGTERM, handler)


def run_pytest(command: list[str], env: dict[str, str]) -> int:
    """Run pytest; when interrupted, give it time to stop its Celery worker and drop its DB."""
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        return process.wait()
    except (KeyboardInterrupt, Terminated) as exc:
        if isinstance(exc, Terminated):
            # Ctrl-C already reached pytest through the terminal; SIGTERM did not.
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise


def main(pytest_args: list[str]) -> int:
    os.chdir(ROOT)
    raise_on_sigterm()
    ci = env_flag("CI")
    force_throwaway = env_flag("DX_TEST_FORCE_THROWAWAY")
    started_at = time.monotonic()

    with contextlib.ExitStack() as stack:
        try:
            database_url = find_postgres(stack, force_throwaway)
            redis_url = find_redis(stack, force_throwaway)
        except ServiceError as exc:
            say(f"ERROR: {exc}")
            return 2

        env = dict(os.environ)
        missing = []
        if database_url:
            env["DATABASE_URL"] = database_url
            template = template_database(database_url)
            if template:
                env["DX_TEST_DATABASE_TEMPLATE"] = template
        else:
            env.pop("DATABASE_URL", None)
            missing.append("PostgreSQL")
        if redis_url:
            env["REDIS_URL"] = redis_url
        else:
            env.pop("REDIS_URL", None)
            missing.append("Redis")

        skipped_warnings: list[str] = []
        deselect: list[str] = []  # marker expressions, joined into one -m before the user's
        if missing:
            what = " and ".join(missing)
            if ci:
                say(
                    f"ERROR: no {what} could be found or started, and CI=true needs the "
                    "integration tests. Install PostgreSQL and redis-server (see .ci/run)."
                )
                return 2
            skipped_warnings.append(
                f"WARNING: no {what} could be found or started, so the integration tests "
                "(real PostgreSQL, Redis and Celery worker) were SKIPPED"
                + ("" if database_url else ", and the other tests ran on SQLite")
                + ". Install PostgreSQL and redis-server, or set DATABASE_URL/REDIS_URL."
            )
            say(skipped_warnings[-1])
            deselect.append("not integration")

        if not missing and find_chromium() is None:
            if ci:
                say(
                    "ERROR: no chromium (/usr/bin/chromium), and CI=true needs the end-to-end "
                    "browser tests. Install Debian's chromium package (see .ci/run)."
                )
                return 2
            skipped_warnings.append(
                "WARNING: no chromium could be found or installed, so the end-to-end browser "
                "tests (-m e2e: the flows in a real browser, with axe-core) were SKIPPED. "
                "Install it with `apt-get install --no-install-recommends chromium`."
            )
            say(skipped_warnings[-1])
            deselect.append("not e2e")
        if find_ffmpeg() is None:
            if ci:
                say(
                    "ERROR: no ffmpeg/ffprobe, and CI=true needs the video lesson tests. "
                    "Install Debian's ffmpeg package (see .ci/run)."
                )
                return 2
            skipped_warnings.append(
                "WARNING: no ffmpeg could be found or installed, so the video lesson tests "
                "were SKIPPED. Install it with `apt-get install --no-install-recommends ffmpeg`."
            )
            say(skipped_warnings[-1])
        if find_slapd() is None:
            if ci:
                say(
                    "ERROR: no slapd (/usr/sbin/slapd) or openssl, and CI=true needs the "
                    "directory sign-in tests. Install Debian's slapd, ldap-utils and openssl "
                    "(see .ci/run)."
                )
                return 2
            skipped_warnings.append(
                "WARNING: no slapd could be found or installed, so the directory sign-in "
                "tests (-m ldap: Active Directory / LDAP against a real slapd) were SKIPPED. "
                "Install it with `apt-get install --no-install-recommends slapd ldap-utils "
                "openssl`."
            )
            say(skipped_warnings[-1])
            deselect.append("not ldap")
        # Before the user's args, so that their own -m wins.
        extra = ["-m", " and ".join(deselect)] if deselect else []

        for step in (
            lambda: manage("makemigrations", "--check", "--dry-run"),
            lambda: manage("check"),
            import_contract,
        ):
            code = step()
            if code != 0:
                say(f"FAILED before the tests (exit {code}); see above.")
                return code

        command = [sys.executable, "-m", "pytest", *parallel(pytest_args), *extra, *pytest_args]
        say(" ".join(shlex.quote(part) for part in command))
        code = run_pytest(command, env)

    if code == PYTEST_NO_TESTS_COLLECTED:
        say("FAILED: pytest collected no tests (exit 5).")
    for warning in skipped_warnings:
        say("*" * 20)
        say(warning)
    if skipped_warnings:
        say("*" * 20)
    say(f"pytest exit status {code}, {time.monotonic() - started_at:.0f} s in all")
    return code


def parallel(pytest_args: list[str]) -> list[str]:
    """pytest-xdist's options: a worker per core (two to four), the integration tests all on
    one of them (``xdist_group``: one Celery worker, one live server), the others shared. None
    when the arguments choose (``-n``) or the machine has one core."""
    if any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in pytest_args):
        return []
    workers = min(max(os.cpu_count() or 1, 2), 4) if (os.cpu_count() or 1) > 1 else 0
    return ["-n", str(workers), "--dist", "loadgroup"] if workers else []


def import_contract() -> int:
    """The layers of docs/architecture.md, checked by import-linter: no app imports one above it."""
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    say(" ".join(command))
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (KeyboardInterrupt, Terminated):
        say("Interrupted.")
        sys.exit(130)
