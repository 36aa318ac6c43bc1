"""The release stamp: the deployer's tag, else a digest of the build's source files only."""

from pathlib import Path

import pytest

from config.release import release


@pytest.fixture
def checkout(tmp_path, settings):
    settings.RELEASE = ""
    settings.BASE_DIR = tmp_path
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("x = 1\n")
    release.cache_clear()
    yield tmp_path
    release.cache_clear()


def _stamp() -> str:
    release.cache_clear()
    return release()


def test_the_deployers_tag_wins(settings):
    settings.RELEASE = "v2026.12.1"
    release.cache_clear()
    assert release() == "v2026.12.1"
    release.cache_clear()


def test_a_changed_source_file_is_a_new_release(checkout: Path):
    before = _stamp()
    (checkout / "app" / "views.py").write_text("x = 2\n")
    assert _stamp() != before


def test_environments_and_hidden_folders_are_not_the_build(checkout: Path):
    before = _stamp()
    env = checkout / "python-env"
    (env / "lib").mkdir(parents=True)
    (env / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (env / "lib" / "site.py").write_text("y = 1\n")
    (checkout / ".cache").mkdir()
    (checkout / ".cache" / "x.py").write_text("z = 1\n")
    (checkout / "app" / "notes.log").write_text("not source\n")
    assert _stamp() == before
