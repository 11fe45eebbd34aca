"""QR codes for service counters: a Telegram deep link as a PNG with the unit's name under it."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # qrcode and Pillow load when a QR is drawn, not when the bot starts
    from PIL import ImageDraw, ImageFont

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram's rule for a /start payload
BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
SURVEY_PREFIX = "survei_"

TARGET_WIDTH = 600  # px; prints sharply at A6 and reads from a phone at arm's length
FONT_SIZE = 30
MARGIN = 24
# A TTF when the system has one (DejaVu is on most Linux images); else Pillow's own font.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "DejaVuSans-Bold.ttf",  # Pillow also searches its own and the OS font folders
)


def deep_link(bot_username: str, payload: str) -> str:
    """`https://t.me/<bot>?start=<payload>`; ValueError when Telegram would not accept either part."""
    name = bot_username.removeprefix("@")
    if not BOT_USERNAME.match(name):
        raise ValueError(f"not a Telegram bot username: {bot_username!r}")
    if not PAYLOAD.match(payload):
        raise ValueError(f"start payload must be 1-64 characters of A-Za-z0-9_-: {payload!r}")
    return f"https://t.me/{name}?start={payload}"


def survey_link(bot_username: str, unit_code: str) -> str:
    """The deep link a counter's QR code carries: `/start survei_<UNITCODE>`."""
    return deep_link(bot_username, SURVEY_PREFIX + unit_code.upper())


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if candidate.startswith("/") and not Path(candidate).is_file():
            continue
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)  # Pillow ≥ 10.1 scales its built-in font
    except TypeError:
        return ImageFont.load_default()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    """Greedy word wrap to `width` pixels; a word longer than a line is cut by characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in word:
                if draw.textlength(line + ch, font=font) > width and line:
                    lines.append(line)
                    line = ""
                line += ch
        lines.append(line)
    return [ln for ln in lines if ln] or [""]


def qr_png(url: str, caption: str) -> bytes:
    """A PNG: the QR code for `url`, with `caption` (one or more lines) centred under it."""
    import qrcode
    from PIL import Image, ImageDraw
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
    qr.add_data(url)
    qr.make(fit=True)
    modules = qr.modules_count + 2 * qr.border
    qr.box_size = max(4, TARGET_WIDTH // modules)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")

    width = code.width
    font = _font(FONT_SIZE)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines = _wrap(probe, caption.strip(), font, width - 2 * MARGIN)[:6]  # a long name stays legible
    ascent, descent = font.getmetrics() if hasattr(font, "getmetrics") else (FONT_SIZE, 0)
    line_height = ascent + descent + 6
    text_height = line_height * len(lines) + MARGIN

    canvas = Image.new("L", (width, code.height + text_height), 255)
    canvas.paste(code, (0, 0))
    draw = ImageDraw.Draw(canvas)
    y = code.height  # below the quiet zone: scanners need those four blank modules
    for line in lines:
        x = (width - draw.textlength(line, font=font)) / 2
        draw.text((x, y), line, fill=0, font=font)
        y += line_height
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
