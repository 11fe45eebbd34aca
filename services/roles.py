"""Roles and the one check every service calls."""

from __future__ import annotations

from enum import StrEnum

from services.errors import Forbidden


class Role(StrEnum):
    CITIZEN = "citizen"
    ASN = "asn"
    OFFICER = "officer"
    HR = "hr"
    SUPERADMIN = "superadmin"


STAFF = (Role.OFFICER, Role.HR, Role.SUPERADMIN)
ADMINS = (Role.HR, Role.SUPERADMIN)


def require_role(role: str, *allowed: Role) -> None:
    # A superadmin may do anything an HR officer may.
    if role == Role.SUPERADMIN or role in allowed:
        return
    raise Forbidden("error.forbidden")
