"""`sapa whatsapp templates`: the message templates to submit in Meta's WhatsApp Manager."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:  # `sapa --help` loads no settings library
    from services.settings import Settings


def add_parsers(sub: Any) -> None:
    wa = sub.add_parser("whatsapp", help="the WhatsApp channel (citizens, the Cloud API)")
    wa_sub = wa.add_subparsers(required=True, metavar="ACTION")
    wa_sub.add_parser("templates", help="the message templates to submit to Meta, as JSON"
                      ).set_defaults(func=_templates)


async def _templates(_settings: Settings, _args: argparse.Namespace) -> int:
    from bot.channels.whatsapp.templates import for_meta

    print(for_meta())
    return 0


def survey_link(number: str, unit_code: str) -> str:
    """`https://wa.me/<number>?text=survei%20UNIT`: the chat opens with the survey's words typed."""
    if not number.isdigit() or not 6 <= len(number) <= 15:
        raise SystemExit(f"sapa: {number!r} is not a WhatsApp number in international digits (6281…)")
    return f"https://wa.me/{number}?text={quote(f'survei {unit_code.upper()}')}"


def survey_qr(number: str, unit_code: str, name: str, beside: Path) -> str:
    """Write the WhatsApp QR beside Telegram's (`loket.png` → `loket-whatsapp.png`); the line to print."""
    from services.survey.qr import qr_png

    url = survey_link(number, unit_code)
    out = beside.with_name(f"{beside.stem}-whatsapp{beside.suffix or '.png'}")
    out.write_bytes(qr_png(url, f"{name}\n{unit_code.upper()} · WhatsApp"))
    return f"{out}: WhatsApp QR for {name} → {url}"
