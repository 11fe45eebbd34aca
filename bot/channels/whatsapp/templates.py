"""The message templates that reach a citizen outside WhatsApp's 24-hour window.

Inside the window a notice goes as the same text as on Telegram; outside it only a template
Meta approved may be sent (131047 otherwise). Each notice a citizen can get days after their
last message has one here: its name, its body in each language with numbered parameters, and
how the parameters come from the notice's own (outbox row) parameters. `sapa whatsapp
templates` prints them for Meta's template manager; the emulator knows exactly these.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.channels.whatsapp.text import clean, to_whatsapp
from handlers.i18n import t
from services.announcements import Announcement
from services.broadcasts.compose import BroadcastMessage
from services.complaints.notices import (
    Answered,
    FollowedChanged,
    HeldReceipt,
    InfoRequested,
    RateRequest,
    StatusChanged,
)
from services.notice import Notice

LANGUAGES = {"id": "id", "en": "en"}  # SAPA's locale → Meta's language code
PARAM_LIMIT = 900  # characters of one parameter (Meta's whole body is at most 1,024)

Params = dict[str, Any]


@dataclass(frozen=True)
class Template:
    name: str
    notices: tuple[type[Notice], ...]  # the notice types it stands for
    params: Callable[[Params], list[str]]
    examples: tuple[str, ...]
    category: str = "UTILITY"

    def body(self, locale: str) -> str:
        """Its text with {{1}}, {{2}}… in a language (the catalogs: wa.tpl.<name>)."""
        return t(locale, f"wa.tpl.{self.name}")

    @property
    def count(self) -> int:
        return len(self.examples)


def _number(p: Params) -> list[str]:
    return [str(p.get("number", "-"))]


def _question(p: Params) -> list[str]:
    return [str(p.get("number", "-")), str(p.get("note", "-"))]


def _broadcast(p: Params) -> list[str]:
    # The body is the broadcast's safe HTML: WhatsApp's marks, entities unescaped.
    return [str(p.get("sender") or "-"), to_whatsapp(str(p.get("body") or "-"))]


def _announcement(p: Params) -> list[str]:
    return [str(p.get("text") or "-")]


TEMPLATES = (
    Template("sapa_laporan_berubah", (StatusChanged, FollowedChanged), _number, ("BJB-2026-000123",)),
    Template("sapa_laporan_dijawab", (Answered,), _number, ("BJB-2026-000123",)),
    Template("sapa_laporan_pertanyaan", (InfoRequested,), _question, ("BJB-2026-000123", "Di RT berapa lokasinya?")),
    Template("sapa_laporan_nilai", (RateRequest,), _number, ("BJB-2026-000123",)),
    Template("sapa_laporan_diterima", (HeldReceipt,), _number, ("BJB-2026-000123",)),
    Template("sapa_pengumuman", (BroadcastMessage,), _broadcast, ("BKPSDM Kota Banjarbaru", "Layanan tutup pada 17 Agustus.")),
    Template("sapa_pesan", (Announcement,), _announcement, ("Rapat warga Senin pukul 09.00 di kantor kelurahan.",)),
)
BY_NOTICE = {n.template: tpl for tpl in TEMPLATES for n in tpl.notices}


def template_for(notice: str) -> Template | None:
    return BY_NOTICE.get(notice)


def parameters(tpl: Template, params: Params) -> list[str]:
    """A template parameter is one line: no newline or tab, at most 4 spaces in a row (132018)."""
    return [" ".join(clean(v).split())[:PARAM_LIMIT] or "-" for v in tpl.params(params)]


def known() -> dict[tuple[str, str], int]:
    """(name, language) → parameter count: what the emulator accepts."""
    return {(tpl.name, code): tpl.count for tpl in TEMPLATES for code in LANGUAGES.values()}


def for_meta() -> str:
    """The templates as Meta's template manager (or its API, POST /{WABA-ID}/message_templates) takes them."""
    out = [{"name": tpl.name, "language": code, "category": tpl.category, "components": [{
        "type": "BODY", "text": tpl.body(loc), "example": {"body_text": [list(tpl.examples)]}}]}
        for tpl in TEMPLATES for loc, code in LANGUAGES.items()]
    return json.dumps(out, ensure_ascii=False, indent=2)
