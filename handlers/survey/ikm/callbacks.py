"""The IKM report's buttons, as typed callbacks (the encodings they always had: "ikm:<period>:<page>")."""

from __future__ import annotations

from handlers.callbacks import Callback


class Report(Callback, prefix="ikm"):
    period: str = ""  # a reports.Period token; "" (the menu's button): this year
    page: int = 0


class UnitDetail(Callback, prefix="ikm:u"):
    unit_id: int
    period: str


class UnitQr(Callback, prefix="ikm:qr"):
    unit_id: int
