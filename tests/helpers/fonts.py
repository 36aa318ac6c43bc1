"""Print PDFs as a machine with no system font at all would.

WeasyPrint finds fonts through fontconfig, which reads its configuration once per process. The
PDF tests therefore print in a child process whose ``FONTCONFIG_FILE`` names a configuration
with no font folder: whatever fonts this machine has, only the ones the product carries can
reach the PDF. ``print_without_system_fonts`` routes every PDF the product makes
(``content.pdf.html_to_pdf``) through such a process, so a test can go through the real views.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

PRINT = """
import sys, django
django.setup()
from content.pdf import html_to_pdf
sys.stdout.buffer.write(html_to_pdf(sys.stdin.buffer.read().decode()))
"""


def fontless_environment(folder: Path) -> dict[str, str]:
    """The environment of a process whose fontconfig knows no font folder."""
    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=folder / "cache"))
    return {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "FONTCONFIG_PATH": str(folder),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
    }


def print_without_system_fonts(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """From now on in this test, every PDF is printed by a child process that sees no font of
    the machine (its fontconfig files go to ``folder``)."""
    env = fontless_environment(folder)
    if shutil.which("fc-list"):  # the child really sees no font of the machine
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == "", listed.stdout

    def html_to_pdf(html: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-c", PRINT],
            input=html.encode(),
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout

    monkeypatch.setattr("content.pdf.html_to_pdf", html_to_pdf)
    monkeypatch.setattr("lms.certificates.services.html_to_pdf", html_to_pdf)


def pdf_text(document: bytes) -> str:
    """The text of every page, without the spaces PDF extraction puts between glyph runs."""
    reader = PdfReader(io.BytesIO(document))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")
