"""The demo activation code for Nur Aisyah (PPPK), shown on the sandbox page.

No persona shares her phone, so linking her needs a code; codes are stored only hashed, so the
plain demo code is kept in a file beside the SQLite database (`sapa.db.demo-code.json`), which
only the sandbox reads. At start-up the sandbox reuses that code while it still works for a day
or more, issues no code at all once her record is linked, and otherwise issues a fresh one (a
database that is not a file gets a fresh code at each start).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from bot.database import open_database
from db.dialect import sqlite_file
from services.account.codes import issue_code, live_until

DEMO_CODE_NIP = "199512202023212004"  # Nur Aisyah (PPPK): no persona shares her phone, so she needs a code
KEEP_FOR_AT_LEAST = timedelta(days=1)  # a code closer to expiring is replaced at start-up


@dataclass(frozen=True)
class DemoCode:
    name: str
    code: str | None  # None: her record is linked already
    expires_at: datetime | None = None

    def hint(self, tz: tzinfo) -> str:
        if self.code is None or self.expires_at is None:
            return (f"{self.name} (ASN PPPK) sudah tertaut / already linked; HR: /kelolaakun {DEMO_CODE_NIP} "
                    "untuk melepas tautan dan menerbitkan kode baru.")
        until = self.expires_at.astimezone(tz).strftime("%d-%m %H.%M %Z")
        short = self.name.split(",")[0]  # "Nur Aisyah, S.Pd." → "Nur Aisyah"
        return (f"Kode aktivasi {short} (ASN PPPK): {self.code} (s.d. {until}): /tautkan, "
                f"NIP {DEMO_CODE_NIP}, bagikan kontak (tidak cocok), lalu ketik kodenya.")


def code_file(database_url: str) -> Path | None:
    """Where the plain demo code is kept: beside a SQLite database file; None for any other."""
    db_file = sqlite_file(database_url)
    return db_file.with_name(db_file.name + ".demo-code.json") if db_file else None


def _saved(path: Path | None) -> str | None:
    try:
        return str(json.loads(path.read_text())[DEMO_CODE_NIP]) if path else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


async def demo_code(database_url: str, now: datetime) -> DemoCode | None:
    """Nur's code for the page: the kept one while it works, none once she is linked, else a new one.
    None when the database is not the demo government's."""
    path = code_file(database_url)
    db = open_database(database_url)
    try:
        async with db.uow() as uow:
            emp = await uow.employees.by_nip(DEMO_CODE_NIP)
            if emp is None:
                return None
            if await uow.linking.holder(emp.id) is not None:
                return DemoCode(emp.name, None)
            kept = _saved(path)
            if kept and (until := await live_until(uow, emp.id, kept, now + KEEP_FOR_AT_LEAST)):
                return DemoCode(emp.name, kept, until)
            issued = await issue_code(uow, "sandbox", DEMO_CODE_NIP, now)
            await uow.commit()
    finally:
        await db.dispose()
    if path is not None:
        path.write_text(json.dumps({DEMO_CODE_NIP: issued.code}))
        path.chmod(0o600)
    return DemoCode(issued.name, issued.code, issued.expires_at)
