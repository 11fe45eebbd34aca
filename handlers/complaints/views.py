"""How reports look: the words and helpers every view shares, and the filing's own views.

Everything a person typed passes through `escape` in the views, once. The cards and lists are
in `cards.py`, the pushes (notices) in `notices.py`.
"""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.complaints.callbacks import Kind, MyReports, Privacy, Rate, Verdict, ViewReport
from handlers.dates import long_day as day
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from services.complaints.dto import Receipt
from services.complaints.notices import HeldReceipt

KINDS: tuple[Kind, ...] = ("pengaduan", "aspirasi", "informasi")
PRIVACY: tuple[Privacy, ...] = ("normal", "anonim", "rahasia")
VERDICTS: tuple[Verdict, ...] = ("fixed", "partly", "not")
STARS = "⭐"



def status(loc: str, value: str) -> str:
    return t(loc, f"cx.status.{value}")


def kind(loc: str, value: str) -> str:
    return t(loc, f"cx.kind.{value}")


def map_url(lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"


def place(loc: str, address: str | None, lat: float | None, lon: float | None) -> str:
    """The typed address when there is one, and a shared point as a map link (never raw numbers)."""
    parts = []
    if address:
        parts.append(escape(address))
    if lat is not None and lon is not None:
        href = html.escape(map_url(lat, lon), quote=True)
        parts.append(f'<a href="{href}">{t(loc, "cx.place.map")}</a>')
    return " · ".join(parts) or t(loc, "cx.place.none")


def stars(cid: int) -> list[Button]:
    return [Button(f"{n}{STARS}", Rate(cid, n).pack()) for n in range(1, 6)]


# --- filing

def receipt(loc: str, r: Receipt, tz: ZoneInfo) -> Reply:
    agency = t(loc, "cx.receipt.agency", agency=escape(r.agency)) if r.agency else t(loc, "cx.receipt.hr")
    if r.unstaffed:  # nobody there to tell yet: say who holds it meanwhile
        agency += "\n" + t(loc, "cx.receipt.unstaffed")
    text = t(loc, "cx.receipt", number=r.number, kind=kind(loc, r.kind), agency=agency,
             days=r.response_days, due=day(loc, r.response_due_at, tz),
             resolve_days=r.resolve_days, resolve_due=day(loc, r.resolve_due_at, tz),
             privacy=t(loc, f"cx.privacy.{r.privacy}"))
    return Reply(text, [[Button(t(loc, "cx.btn.view"), ViewReport(r.id).pack()), Button(t(loc, "cx.btn.mine"), MyReports().pack())],
                        [Button(t(loc, "menu.back"), Menu().pack())]])


@renders(HeldReceipt)
def n_receipt(loc: str, n: HeldReceipt) -> Reply:
    """The receipt, pushed when its direct reply did not arrive (the process died after filing)."""
    r = Receipt(n.id, n.number, n.kind, n.privacy, n.agency, n.response_days,
                datetime.fromisoformat(n.response_due_at), n.resolve_days, datetime.fromisoformat(n.resolve_due_at))
    return receipt(loc, r, ZoneInfo(n.tz))


