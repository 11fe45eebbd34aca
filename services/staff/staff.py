"""Staff management by superadmins: who is who, grant a role, take it back, the staff list.

Decisions the issue left open:
- Only superadmins grant, revoke and list staff (HR keeps its own tools; it does not make staff).
- A revoked person goes back to what they are without a staff role: an ASN when their account
  is linked to an employee record, a citizen otherwise.
- No change may leave the deployment without a superadmin, whoever makes it (oneself or another).
  A superadmin named in SAPA_ADMIN_IDS is one by configuration: identify() would restore the role
  on their next message, so the chat refuses to change them and says where to do it.
- A person chosen by id who never wrote to the bot gets an account row on the grant (as with
  `sapa admin add`); their notice waits until Telegram lets us write to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.models import Agency, User
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.errors import DomainError, InvalidInput, NotFound
from services.notice import queue
from services.roles import STAFF, Role, require_role
from services.staff.notices import RoleChanged
from services.users import Person

TELEGRAM_ID_MAX = 2**53  # Telegram: user ids fit in 52 bits; anything larger was not typed from one
GRANTABLE = (Role.OFFICER, Role.HR, Role.SUPERADMIN)


@dataclass(frozen=True)
class Member:
    """A person as staff management sees them."""

    external_id: int
    user_id: int | None  # None: never wrote to the bot and never granted anything
    name: str | None
    username: str | None
    role: str
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None
    linked: bool  # has an employee record: revoking makes them an ASN
    configured: bool  # a superadmin by SAPA_ADMIN_IDS
    has_written: bool


@dataclass(frozen=True)
class Change:
    member: Member
    before: dict[str, str | None]
    after: dict[str, str | None]


def parse_id(raw: str) -> int:
    """A typed Telegram id: digits only (spaces ignored), positive, not absurdly large."""
    text = "".join(raw.split())
    if not text.isascii() or not text.isdigit() or len(text) > 16:
        raise InvalidInput("sf.err.bad_id")
    value = int(text)
    if not 0 < value < TELEGRAM_ID_MAX:
        raise InvalidInput("sf.err.bad_id")
    return value


def _member(external_id: int, u: User | None, agency: Agency | None, admin_ids: Sequence[int]) -> Member:
    if u is None:
        return Member(external_id, None, None, None, Role.CITIZEN, None, None, None, False,
                      external_id in admin_ids, False)
    return Member(external_id, u.id, u.name, u.username, u.role, u.agency_id,
                  agency.code if agency else None, (agency.short_name or agency.name) if agency else None,
                  u.employee_id is not None, external_id in admin_ids, u.name is not None and not u.unreachable)


async def _load(uow: UnitOfWork, external_id: int, admin_ids: Sequence[int]) -> tuple[Member, User | None]:
    if not 0 < external_id < TELEGRAM_ID_MAX:  # a forged button's id: never a row for it
        raise InvalidInput("sf.err.bad_id")
    u = await uow.users.by_external("telegram", external_id)
    if u is not None and u.erased:
        raise NotFound("sf.err.erased")
    agency = await uow.agencies.get(u.agency_id) if u is not None and u.agency_id else None
    return _member(external_id, u, agency, admin_ids), u


async def find(uow: UnitOfWork, actor: Person, external_id: int, *, admin_ids: Sequence[int]) -> Member:
    """The person behind a Telegram id (one never seen is a citizen without a name)."""
    require_role(actor.role, Role.SUPERADMIN)
    return (await _load(uow, external_id, admin_ids))[0]


def _snapshot(role: str, agency_code: str | None) -> dict[str, str | None]:
    return {"role": role, "agency": agency_code}


async def _keep_a_superadmin(uow: UnitOfWork, m: Member, new_role: str) -> None:
    if m.role == Role.SUPERADMIN and new_role != Role.SUPERADMIN:
        if m.configured:
            raise DomainError("sf.err.configured")
        others = [u for u in await uow.users.with_role([Role.SUPERADMIN]) if u.external_id != m.external_id]
        if not others:
            raise DomainError("sf.err.last_superadmin")


async def _apply(uow: UnitOfWork, actor: Person, m: Member, u: User | None, role: str, agency: Agency | None,
                 action: str, now: datetime) -> Change:
    label, actor_id = actor_label(actor)
    if u is None:
        u = uow.users.add(User(channel="telegram", external_id=m.external_id, chat_id=m.external_id,
                               state_data={}, created_at=now, last_seen_at=now))
    u.role, u.agency_id = role, agency.id if agency else None
    await uow.flush()
    before, after = _snapshot(m.role, m.agency_code), _snapshot(role, agency.code if agency else None)
    uow.audit.record(label, action, f"user:{u.id}", actor_user_id=actor_id, at=now, telegram_id=m.external_id,
                     before=before, after=after)
    await queue(uow, u.id, RoleChanged(role, (agency.short_name or agency.name) if agency else None))
    changed = Member(m.external_id, u.id, m.name, m.username, role, agency.id if agency else None,
                     agency.code if agency else None, (agency.short_name or agency.name) if agency else None,
                     m.linked, m.configured, m.has_written)
    return Change(changed, before, after)


async def grant(uow: UnitOfWork, actor: Person, external_id: int, role: str, *, agency_id: int | None = None,
                admin_ids: Sequence[int], now: datetime) -> Change:
    """Make someone an officer (of an agency), HR or a superadmin: audited, and they are told."""
    require_role(actor.role, Role.SUPERADMIN)
    if role not in GRANTABLE:
        raise InvalidInput("sf.err.bad_role")
    m, u = await _load(uow, external_id, admin_ids)
    agency = None
    if role == Role.OFFICER:
        agency = await uow.agencies.get(agency_id) if agency_id is not None else None
        if agency is None or not agency.active:
            raise InvalidInput("sf.err.pick_agency")
    if (m.role, m.agency_id) == (role, agency.id if agency else None):
        raise DomainError("sf.err.same_role")
    await _keep_a_superadmin(uow, m, role)
    return await _apply(uow, actor, m, u, role, agency, "role.grant", now)


async def revoke(uow: UnitOfWork, actor: Person, external_id: int, *, admin_ids: Sequence[int],
                 now: datetime) -> Change:
    """Take a staff role back: an ASN again if their account is linked to an employee, else a citizen."""
    require_role(actor.role, Role.SUPERADMIN)
    m, u = await _load(uow, external_id, admin_ids)
    if m.role not in STAFF:
        raise DomainError("sf.err.not_staff")
    role = Role.ASN if m.linked else Role.CITIZEN
    await _keep_a_superadmin(uow, m, role)
    return await _apply(uow, actor, m, u, role, None, "role.revoke", now)


async def agencies(uow: UnitOfWork, actor: Person) -> list[Agency]:
    """What an officer may be granted for: the active agencies, by code."""
    require_role(actor.role, Role.SUPERADMIN)
    return sorted(await uow.agencies.all_active(), key=lambda a: a.code)


async def staff(uow: UnitOfWork, actor: Person, *, admin_ids: Sequence[int]) -> list[Member]:
    """Every staff member: superadmins, HR, then officers by agency code; by name within each.

    Staff are few (tens, a few hundred in a big city), so one read and paging in memory is fine.
    """
    require_role(actor.role, Role.SUPERADMIN)
    by_id = {a.id: a for a in await uow.agencies.all()}
    order = {Role.SUPERADMIN: 0, Role.HR: 1, Role.OFFICER: 2}
    members = [_member(u.external_id, u, by_id.get(u.agency_id) if u.agency_id else None, admin_ids)
               for u in await uow.users.with_role(list(STAFF))]
    return sorted(members, key=lambda m: (order.get(Role(m.role), 3), m.agency_code or "",
                                          (m.name or "").casefold(), m.external_id))
