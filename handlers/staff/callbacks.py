"""Staff management's buttons ("sf…"). Every one of them is for superadmins: the services refuse
anyone else, and the router records the refusal in the audit log."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback

GrantRole = Literal["officer", "hr", "superadmin"]
Span = Literal["today", "7", "30", "all", "type"]


class Home(Callback, prefix="sf"):
    pass


class PickPerson(Callback, prefix="sf:p"):
    pass


class Card(Callback, prefix="sf:c"):
    external_id: int


class Grant(Callback, prefix="sf:g"):
    external_id: int
    role: GrantRole


class AgencyPage(Callback, prefix="sf:ap"):
    external_id: int
    page: int = 1


class Officer(Callback, prefix="sf:o"):
    external_id: int
    agency_id: int


class Revoke(Callback, prefix="sf:r"):
    external_id: int


class RevokeYes(Callback, prefix="sf:ry"):
    external_id: int


class StaffList(Callback, prefix="sf:l"):
    page: int = 1


class AuditLog(Callback, prefix="sf:a"):
    page: int = 1


class AuditWho(Callback, prefix="sf:aw"):
    pass


class AuditAction(Callback, prefix="sf:aa"):
    family: str = "type"  # an AuditFamily offered as a filter, or "type": ask for a prefix

    def valid(self) -> bool:
        from handlers.features import bot  # the families are the features' registrations

        return self.family == "type" or any(f.name == self.family for f in bot().audit.filters)


class AuditPeriod(Callback, prefix="sf:ad"):
    span: Span | None = None  # None: show the choices


class AuditReset(Callback, prefix="sf:ax"):
    pass


class AuditExport(Callback, prefix="sf:ae"):
    pass
