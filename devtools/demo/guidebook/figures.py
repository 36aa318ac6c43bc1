"""Simple diagrams drawn with Pillow at seed time (no image files in the repository)."""

from __future__ import annotations

import io
import subprocess
from functools import cache

from PIL import Image, ImageDraw, ImageFont

# (label, sub-label) per box; sub-labels need a Japanese font and are left out without one.
FIGURES = {
    "what-why-how": [
        ("WHAT", "何をしているか"),
        ("WHY", "何のためか"),
        ("HOW", "どうよくするか"),
    ],
    "project-steps": [
        ("1", "目的"),
        ("2", "問題事象"),
        ("3", "目標"),
        ("4", "試行"),
        ("5", "効果測定"),
    ],
}


@cache
def _japanese_font_path() -> str | None:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK JP:lang=ja"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found and "CJK" in found else None


def _font(size: int, japanese: bool) -> ImageFont.ImageFont:
    path = _japanese_font_path() if japanese else None
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def flow_diagram_png(key: str) -> bytes:
    """Boxes left to right joined by arrows, as PNG bytes."""
    boxes = FIGURES[key]
    box_w, box_h, gap, margin = 220, 130, 70, 30
    width = margin * 2 + len(boxes) * box_w + (len(boxes) - 1) * gap
    height = margin * 2 + box_h
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    big, small = _font(40, False), _font(26, True)
    has_japanese = _japanese_font_path() is not None
    for i, (label, sub) in enumerate(boxes):
        x = margin + i * (box_w + gap)
        draw.rounded_rectangle(
            [x, margin, x + box_w, margin + box_h],
            radius=16,
            fill="#eef5fc",
            outline="#0b5cad",
            width=4,
        )
        centre = x + box_w / 2
        draw.text(
            (centre, margin + (45 if has_japanese else box_h / 2)),
            label,
            fill="#0b5cad",
            font=big,
            anchor="mm",
        )
        if has_japanese:
            draw.text((centre, margin + 95), sub, fill="#1b1f24", font=small, anchor="mm")
        if i < len(boxes) - 1:
            y = margin + box_h / 2
            start, end = x + box_w + 8, x + box_w + gap - 8
            draw.line([start, y, end - 14, y], fill="#1b1f24", width=6)
            draw.polygon([(end, y), (end - 18, y - 12), (end - 18, y + 12)], fill="#1b1f24")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
