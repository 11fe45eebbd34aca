"""A plain announcement to one person (a meeting reminder, a broadcast line)."""

from __future__ import annotations

from services.notice import Notice


class Announcement(Notice, template="announcement"):
    text: str = ""
