"""`sapa whatsapp templates`: the message templates to submit in Meta's WhatsApp Manager."""

from __future__ import annotations

import argparse
from typing import Any

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
