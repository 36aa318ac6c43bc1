"""Templates join translated words with translated separators, so Japanese reads 「状態：提出済み」
and 「修了（80%）」, never a half-width 「: 」 or 「 (」 between Japanese words (UX review)."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
#: A translated string or block followed by a literal half-width separator.
HALF_WIDTH_AFTER_TRANS = re.compile(r'(?:trans "[^"]*"|endblocktrans) *%\}(?:: | \()')


def test_no_template_puts_a_half_width_separator_after_translated_words():
    names = subprocess.check_output(["git", "ls-files", "*.html"], cwd=ROOT, text=True).split()
    found = [
        f"{name}:{number}"
        for name in names
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1)
        if HALF_WIDTH_AFTER_TRANS.search(line)
    ]
    assert found == []


def test_the_check_catches_what_the_review_found():
    assert HALF_WIDTH_AFTER_TRANS.search('{% trans "Status" %}: <strong>')
    assert HALF_WIDTH_AFTER_TRANS.search('{% trans "Completed" %} (80%)')
    assert not HALF_WIDTH_AFTER_TRANS.search(
        '{% trans "Status" %}{% trans ": " context "label separator" %}<strong>'
    )
