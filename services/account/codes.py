"""Activation codes: HR issues one per employee when the phone on file cannot prove who is who.

8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), single use, expiring
(72 hours unless HR says otherwise), stored only as scrypt(code, per-code salt). The plain code
is returned once, to HR; it is never logged or audited.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from db.models import ActivationCode
from db.uow import UnitOfWork
from services.account import nip as nips
from services.errors import InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
VALID_FOR = timedelta(hours=72)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once; only its hash is kept
    expires_at: datetime
    name: str
    nip_masked: str


def normalise(raw: str | None) -> str | None:
    """'abcd-ef23', 'ABCD EF23' → 'ABCDEF23'; None when it cannot be a code at all."""
    text = "".join((raw or "").split()).replace("-", "").upper()
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def _digest(code: str, salt: bytes) -> str:
    # scrypt: a leaked table does not give the codes back cheaply, even though they are short.
    return hashlib.scrypt(code.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()


def actor_label(actor: Person | str) -> tuple[str, int | None]:
    """HR in the chat (checked here) or a trusted operator label such as "cli"."""
    if isinstance(actor, str):
        return actor, None
    require_role(actor.role, Role.HR)
    return f"user:{actor.id}", actor.id


async def issue_code(uow: UnitOfWork, actor: Person | str, nip: str, now: datetime, *,
                     valid_for: timedelta = VALID_FOR) -> IssuedCode:
    """A new code for the employee `nip`; codes issued before and not used stop working."""
    label, actor_id = actor_label(actor)
    if valid_for <= timedelta(0) or valid_for > timedelta(days=30):
        raise InvalidInput("acct.err.validity")
    emp = await uow.employees.by_nip(nips.clean(nip))
    if emp is None:
        raise NotFound("link.nip_unknown")
    await uow.linking.drop_unused_codes(emp.id)
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    salt = secrets.token_bytes(16)
    expires = now + valid_for
    uow.linking.add_code(ActivationCode(employee_id=emp.id, salt=salt.hex(), digest=_digest(code, salt),
                                        expires_at=expires, issued_by=label[:64], created_at=now))
    uow.audit.record(label, "employee.code_issued", f"employee:{emp.id}", actor_user_id=actor_id,
                     expires_at=expires.isoformat())
    log.info("activation code issued for %s by %s", nips.mask(emp.nip), label)
    return IssuedCode(code, expires, emp.name, nips.mask(emp.nip))


async def live_until(uow: UnitOfWork, employee_id: int, code: str, now: datetime) -> datetime | None:
    """When `code` stops working for the employee, if it is one of theirs, unused and unexpired
    (it stays unused: this only looks)."""
    for row in await uow.linking.codes_of(employee_id):
        if row.used_at is None and row.expires_at > now and hmac.compare_digest(
                _digest(code, bytes.fromhex(row.salt)), row.digest):
            return row.expires_at
    return None


async def redeem(uow: UnitOfWork, employee_id: int, code: str, now: datetime) -> str:
    """Use `code` for the employee: "ok", or why not: "wrong", "expired", "used"."""
    found = None
    for row in await uow.linking.codes_of(employee_id):
        # Every stored code is hashed and compared, so the time taken says nothing about which matched.
        if hmac.compare_digest(_digest(code, bytes.fromhex(row.salt)), row.digest) and found is None:
            found = row
    if found is None:
        return "wrong"
    if found.used_at is not None:
        return "used"
    if found.expires_at <= now:
        return "expired"
    return "ok" if await uow.linking.use_code(found.id, now) else "used"
