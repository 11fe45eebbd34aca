"""The account services on SQLite and PostgreSQL: codes, the lockout, one record ↔ one account, release."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.models import ActivationCode, AuditLog
from services.account import codes, linking
from services.account.attempts import Locked
from services.errors import DomainError, Forbidden, NotFound
from services.users import Person
from tests.training_helpers import NUR, SITI, linked

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
async def seeded(app):  # the app fixture seeds the demo government
    return app.db


async def _citizen(uow, external_id: int) -> Person:
    from db.models import User

    u = uow.users.add(User(channel="telegram", external_id=external_id, chat_id=external_id, name="X",
                           role="citizen", state_data={}))
    await uow.flush()
    return Person(id=u.id, chat_id=external_id, external_id=external_id, name="X", username=None, role="citizen",
                  agency_id=None, employee_id=None, locale=None, language_code="id")


async def _link_of(uow, user_id: int) -> tuple[int | None, str]:
    """(employee_id, role) as the database has them now (the identity map may hold an older copy)."""
    from db.models import User

    row = (await uow.session.execute(select(User.employee_id, User.role).where(User.id == user_id))).one()
    return row[0], row[1]


def _hr(user_id: int = 1, role: str = "hr") -> Person:
    return Person(id=user_id, chat_id=1, external_id=1, name="HR", username=None, role=role, agency_id=None,
                  employee_id=None, locale=None, language_code="id")


async def test_a_code_is_8_characters_stored_hashed_and_shown_once(seeded):
    async with seeded.uow() as uow:
        issued = await codes.issue_code(uow, "cli", NUR, NOW)
        await uow.commit()
    assert len(issued.code) == 8 and set(issued.code) <= set(codes.ALPHABET)
    assert issued.expires_at == NOW + timedelta(hours=72)
    assert issued.nip_masked == "19951220 ****** 2 004"
    async with seeded.uow() as uow:
        row = (await uow.session.execute(select(ActivationCode))).scalar_one()
        assert issued.code not in (row.digest, row.salt) and len(row.digest) == 64
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "employee.code_issued")))
        assert issued.code not in str(audit.scalar_one().details)


async def test_only_hr_issues_codes_and_releases_records(seeded):
    async with seeded.uow() as uow:
        asn = await linked(uow, SITI, 5001)
        with pytest.raises(Forbidden):
            await codes.issue_code(uow, asn, NUR, NOW)
        with pytest.raises(Forbidden):
            await linking.release(uow, _hr(role="officer"), SITI)
        with pytest.raises(NotFound):
            await codes.issue_code(uow, _hr(), "199001052015032099", NOW)
        assert (await codes.issue_code(uow, _hr(role="superadmin"), NUR, NOW)).code


async def test_a_code_links_once_and_not_after_it_expired(seeded):
    async with seeded.uow() as uow:
        code = (await codes.issue_code(uow, "cli", NUR, NOW)).code
        nur = await _citizen(uow, 5002)
        got = await linking.link_with_code(uow, nur, NUR, code.lower()[:4] + "-" + code[4:], NOW)  # typed loosely
        assert got.name.startswith("Nur Aisyah") and got.employment == "PPPK"
        other = await _citizen(uow, 5003)
        with pytest.raises(DomainError) as used:
            await linking.link_with_code(uow, other, NUR, code, NOW)
        assert used.value.code == "link.code_used" and used.value.params["left"] == 4
        late = (await codes.issue_code(uow, "cli", SITI, NOW)).code
        with pytest.raises(DomainError) as expired:
            await linking.link_with_code(uow, other, SITI, late, NOW + timedelta(hours=72))
        assert expired.value.code == "link.code_expired"
        assert (await _link_of(uow, other.id))[0] is None


async def test_a_new_code_replaces_the_unused_one(seeded):
    async with seeded.uow() as uow:
        first = (await codes.issue_code(uow, "cli", NUR, NOW)).code
        second = (await codes.issue_code(uow, "cli", NUR, NOW)).code
        nur = await _citizen(uow, 5002)
        with pytest.raises(DomainError) as e:
            await linking.link_with_code(uow, nur, NUR, first, NOW) if first != second else None
        assert e.value.code == "link.code_wrong"
        await linking.link_with_code(uow, nur, NUR, second, NOW)


async def test_five_failures_lock_linking_for_an_hour_per_chat(seeded):
    async with seeded.uow() as uow:
        code = (await codes.issue_code(uow, "cli", NUR, NOW)).code
        mallory = await _citizen(uow, 5004)
        for left in (4, 3, 2, 1):
            with pytest.raises(DomainError) as e:
                await linking.link_with_code(uow, mallory, NUR, "AAAAAAAA", NOW)
            assert e.value.params["left"] == left
        with pytest.raises(Locked) as locked:
            await linking.find_for_link(uow, mallory, "199001052015032099", NOW)  # a NIP not on file counts too
        assert locked.value.params["minutes"] == 60
        with pytest.raises(Locked) as still:  # even the right code waits for the hour
            await linking.link_with_code(uow, mallory, NUR, code, NOW + timedelta(minutes=35))
        assert still.value.params["minutes"] == 25
        other_chat = await _citizen(uow, 5005)  # attempts are counted per chat
        await linking.may_link(uow, other_chat, NOW)
        got = await linking.link_with_code(uow, mallory, NUR, code, NOW + timedelta(hours=1))
        assert got.nip_masked == "19951220 ****** 2 004"
        assert (await uow.linking.attempts(mallory.id)) is None  # success forgets the failures


async def test_garbage_codes_are_answered_but_not_counted(seeded):
    async with seeded.uow() as uow:
        rina = await _citizen(uow, 5006)
        for junk in ("", "🙂" * 8, "<b>&</b>", "ABCD\x00EFG", "x" * 5000, "O0I1LO0I"):
            with pytest.raises(DomainError) as e:
                await linking.link_with_code(uow, rina, NUR, junk, NOW)
            assert e.value.code == "link.code_format"
        assert (await uow.linking.attempts(rina.id)) is None


async def test_a_record_linked_elsewhere_is_refused_until_hr_releases_it(seeded):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 5007)
        code = (await codes.issue_code(uow, "cli", SITI, NOW)).code
        newcomer = await _citizen(uow, 5008)
        with pytest.raises(DomainError) as e:
            await linking.link_with_code(uow, newcomer, SITI, code, NOW)
        assert e.value.code == "link.taken"
        assert (await _link_of(uow, siti.id))[0] is not None
        released = await linking.release(uow, _hr(), SITI)
        assert released.external_id == 5007
        assert await _link_of(uow, siti.id) == (None, "citizen")
        fresh = (await codes.issue_code(uow, "cli", SITI, NOW)).code
        assert (await linking.link_with_code(uow, newcomer, SITI, fresh, NOW)).name.startswith("Siti")
        again = await linking.release(uow, "cli", NUR)
        assert again.external_id is None
        n = (await uow.session.execute(select(func.count()).select_from(AuditLog)
                                       .where(AuditLog.action == "employee.release"))).scalar_one()
        assert n == 2


async def test_profile_and_unlink(seeded):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 5009)
        p = await linking.profile(uow, siti, NOW.date())
        assert (p.golongan, p.pangkat, p.employment) == ("III/b", "Penata Muda Tingkat I", "PNS")
        assert p.years_of_service == 11  # TMT March 2015, read from her NIP
        with pytest.raises(DomainError) as e:  # a second link while linked
            await linking.find_for_link(uow, siti, SITI, NOW)
        assert e.value.code == "link.already_linked"
        assert await linking.unlink(uow, siti) == "citizen"
        assert await _link_of(uow, siti.id) == (None, "citizen")
        nur = await linked(uow, NUR, 5010)
        assert (await linking.profile(uow, nur, NOW.date())).years_of_service == 3  # TMT 1 Mar 2023 from HR's file


async def test_logs_mask_nips(seeded, caplog):
    caplog.set_level(logging.INFO)
    async with seeded.uow() as uow:
        code = (await codes.issue_code(uow, "cli", NUR, NOW)).code
        rina = await _citizen(uow, 5011)
        for attempt in (lambda: linking.find_for_link(uow, rina, "199001052015032099", NOW),
                        lambda: linking.link(uow, rina, SITI, phone="0811", contact_user_id=5011, now=NOW),
                        lambda: linking.link_with_code(uow, rina, NUR, "ZZZZZZZZ", NOW)):
            with pytest.raises(DomainError):
                await attempt()
        await linking.link_with_code(uow, rina, NUR, code, NOW)
    text = caplog.text
    assert "19951220 ****** 2 004" in text
    for nip in (NUR, SITI, "199001052015032099"):
        assert nip not in text
    assert code not in text
