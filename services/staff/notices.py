"""What a person is told when a superadmin changes their role."""

from __future__ import annotations

from services.notice import Notice


class RoleChanged(Notice, template="staff.role_changed"):
    role: str  # services.roles.Role value: the role they have now
    agency: str | None = None  # the agency's name, for an officer
