"""Announcements pushed to people (HR's broadcasts build on this): a text, rendered at send time."""

from __future__ import annotations

from handlers.feature import Feature, renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Router
from services.announcements import Announcement


@renders(Announcement)
def announcement(loc: str, n: Announcement) -> Reply:
    return Reply(t(loc, "notice.announcement", text=escape(n.text)), [[Button(t(loc, "menu.back"), Menu().pack())]])


feature = Feature("announcements", Router("announcements"), notices=(announcement,))
