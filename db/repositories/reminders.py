"""Reminders' queries: preferences, occasion marks, and the scans the jobs make.

The scans return plain rows (ids, dates) so that a job over 20,000 people holds its read
transaction for one SELECT each and writes its outbox rows afterwards, in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, delete, func, select, update

from db.dialect import insert_ignore, insert_ignore_rows, lock_rows, upsert
from db.models import (
    ActivationCode,
    Appraisal,
    Complaint,
    Employee,
    Enrolment,
    OutboxMessage,
    ReminderMark,
    ReminderPref,
    Training,
    User,
    Vacancy,
    VacancyApplication,
    VacancyDocument,
)
from db.repositories.base import Repo, rowcount
from db.repositories.outbox import Queued


@dataclass(frozen=True)
class SeatsNow:
    """A training's row as a reminder batch reads it, with who of the batch still holds a seat."""

    id: int
    status: str
    starts_at: datetime
    registration_closes_at: datetime
    title: str
    place: str | None
    online_url: str | None
    seated: frozenset[int]  # employee ids


class ReminderRepo(Repo):
    # --- preferences
    async def prefs_of(self, user_id: int) -> dict[str, bool]:
        stmt = select(ReminderPref.kind, ReminderPref.enabled).where(ReminderPref.user_id == user_id)
        return {k: bool(e) for k, e in (await self.session.execute(stmt)).all()}

    async def put_pref(self, user_id: int, kind: str, enabled: bool, now: datetime) -> None:
        stmt = upsert(self.dialect, ReminderPref.__table__,
                      {"user_id": user_id, "kind": kind, "enabled": enabled, "updated_at": now},
                      keys=["user_id", "kind"], update=["enabled", "updated_at"])
        await self.session.execute(stmt)

    async def switched_off(self, kind: str) -> set[int]:
        stmt = select(ReminderPref.user_id).where(ReminderPref.kind == kind, ReminderPref.enabled.is_(False))
        return {int(u) for (u,) in (await self.session.execute(stmt)).all()}

    async def cancel_pending(self, user_id: int, templates: Sequence[str]) -> int:
        """Queued, not yet claimed rows of these templates for one person: gone (an unsubscribe)."""
        if not templates:
            return 0
        res = await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.user_id == user_id, OutboxMessage.status == "pending",
                                        OutboxMessage.template.in_(list(templates))))
        return rowcount(res)

    async def queue_rows(self, queued: Sequence[Queued], now: datetime) -> int:
        """Outbox rows in one executemany (dedupe keys as in OutboxRepo.add); returns how many were new."""
        if not queued:
            return 0
        params: dict[int, dict[str, Any]] = {}  # one notice object is often shared by every recipient
        for q in queued:
            if id(q.notice) not in params:
                params[id(q.notice)] = q.notice.to_params()
        rows = [{"user_id": q.user_id, "template": q.notice.template, "params": params[id(q.notice)],
                 "dedupe_key": q.dedupe_key, "status": "pending", "attempts": 0, "requeued": False,
                 "not_before": q.not_before or now, "created_at": now} for q in queued]
        res = await self.session.execute(insert_ignore_rows(self.dialect, OutboxMessage).returning(OutboxMessage.id),
                                         rows)
        return len(res.all())

    # --- occasion marks
    async def marked(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        stmt = select(ReminderMark.key).where(ReminderMark.key.in_(list(keys)))
        return {k for (k,) in (await self.session.execute(stmt)).all()}

    async def mark(self, key: str, outcome: str, now: datetime) -> bool:
        """True when this call made the mark (another run may have made it first)."""
        stmt = insert_ignore(self.dialect, ReminderMark, {"key": key, "outcome": outcome[:200], "done_at": now}
                             ).returning(ReminderMark.key)
        return (await self.session.execute(stmt)).first() is not None

    async def forget_marks_before(self, cutoff: datetime) -> int:
        res = await self.session.execute(delete(ReminderMark).where(ReminderMark.done_at < cutoff))
        return rowcount(res)

    # --- people
    async def reachable_linked(self) -> dict[int, int]:
        """employee id → user id of every linked civil servant who can be told now: not erased,
        not unreachable (a 403 marks them; they count again once they write)."""
        stmt = select(User.employee_id, User.id).where(
            User.employee_id.is_not(None), User.erased.is_(False), User.unreachable.is_(False))
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        return {cast(int, e): int(u) for e, u in (await self.session.execute(stmt)).all()}

    async def employees(self, employee_ids: Sequence[int] | None = None) -> list[Employee]:
        stmt = select(Employee).order_by(Employee.id)
        if employee_ids is not None:
            stmt = stmt.where(Employee.id.in_(list(employee_ids)))
        return list((await self.session.execute(stmt)).scalars())

    async def reachable_users(self, user_ids: Sequence[int]) -> set[int]:
        if not user_ids:
            return set()
        stmt = select(User.id).where(User.id.in_(list(user_ids)), User.erased.is_(False),
                                     User.unreachable.is_(False))
        return {int(u) for (u,) in (await self.session.execute(stmt)).all()}

    async def users_by_telegram_ids(self, external_ids: Sequence[int]) -> dict[int, int]:
        """Telegram id → user id (e.g. an agency head's recorded account), reachable ones only."""
        if not external_ids:
            return {}
        stmt = select(User.external_id, User.id).where(
            User.channel == "telegram", User.external_id.in_(list(external_ids)), User.erased.is_(False),
            User.unreachable.is_(False))
        return {int(x): int(u) for x, u in (await self.session.execute(stmt)).all()}

    # --- training
    async def trainings_starting(self, after: datetime, before: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.starts_at > after,
                                       Training.starts_at <= before).order_by(Training.starts_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def trainings_closing(self, after: datetime, before: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.registration_closes_at > after,
                                       Training.registration_closes_at <= before)
                .order_by(Training.registration_closes_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def open_trainings(self, now: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.registration_closes_at > now,
                                       Training.starts_at > now).order_by(Training.starts_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def enrolled(self, training_ids: Sequence[int], statuses: Sequence[str]) -> dict[int, set[int]]:
        """training id → employee ids with an enrolment in `statuses`."""
        out: dict[int, set[int]] = {t: set() for t in training_ids}
        if not training_ids:
            return out
        stmt = select(Enrolment.training_id, Enrolment.employee_id).where(
            Enrolment.training_id.in_(list(training_ids)), Enrolment.status.in_(list(statuses)))
        for tid, eid in (await self.session.execute(stmt)).all():
            out[int(tid)].add(int(eid))
        return out

    async def seated_users(self, training_id: int) -> list[tuple[int, int]]:
        """(user id, employee id) of the training's seated participants who can be told now (one joined read)."""
        stmt = (select(User.id, User.employee_id).join(Enrolment, Enrolment.employee_id == User.employee_id)
                .where(Enrolment.training_id == training_id, Enrolment.status == "seat", User.erased.is_(False),
                       User.unreachable.is_(False)).order_by(User.id))
        # A join on employee_id: it is not NULL in a joined row, so the cast drops None from its type.
        return [(int(u), cast(int, e)) for u, e in (await self.session.execute(stmt)).all()]

    async def seats_now(self, training_id: int, employee_ids: Sequence[int]) -> SeatsNow | None:
        """The training as it is now and which of `employee_ids` still hold a seat; None if it is gone.

        One statement, as it runs once per batch of a job over 20,000 people (holding SQLite's one
        connection); it locks the training's row on PostgreSQL, so an edit, a sign-up or a cancellation
        commits wholly before or after the batch. The seats are probed by the enrolments' unique
        (training, employee) index: a probe by user would read all the training's 20,000 seats."""
        stmt = lock_rows(self.dialect, select(
            Training.status, Training.starts_at, Training.registration_closes_at, Training.title, Training.place,
            Training.online_url, Enrolment.employee_id, Enrolment.status.label("seat")).select_from(Training)
            .outerjoin(Enrolment, and_(Enrolment.training_id == Training.id,
                                       Enrolment.employee_id.in_(list(employee_ids))))
            .where(Training.id == training_id), of=Training)
        rows = (await self.session.execute(stmt)).all()
        if not rows:
            return None
        first = rows[0]
        # The status is compared here, not in SQL: with it in the join PostgreSQL, on a table whose
        # statistics lag (a training filled today), walks the (training, status) index instead.
        return SeatsNow(training_id, first.status, first.starts_at, first.registration_closes_at, first.title,
                        first.place, first.online_url,
                        frozenset(int(r.employee_id) for r in rows if r.seat == "seat"))

    async def jp_attended(self, since: datetime, until: datetime) -> dict[int, int]:
        """employee id → JP of trainings attended that ended in [since, until)."""
        stmt = (select(Enrolment.employee_id, func.sum(Training.jp))
                .join(Training, Training.id == Enrolment.training_id)
                .where(Enrolment.status == "attended", Training.ends_at >= since, Training.ends_at < until)
                .group_by(Enrolment.employee_id))
        return {int(e): int(n or 0) for e, n in (await self.session.execute(stmt)).all()}

    # --- vacancies
    async def vacancies_published(self, now: datetime, since: datetime) -> list[Vacancy]:
        """Published, open by `now` (or opening), not closed, published or opened after `since`."""
        stmt = (select(Vacancy).where(Vacancy.published_at.is_not(None), Vacancy.published_at <= now,
                                      Vacancy.opens_at <= now, Vacancy.closes_at > now,
                                      (Vacancy.published_at > since) | (Vacancy.opens_at > since))
                .order_by(Vacancy.id))
        return list((await self.session.execute(stmt)).scalars())

    async def vacancies_closing(self, after: datetime, before: datetime) -> list[Vacancy]:
        stmt = (select(Vacancy).where(Vacancy.published_at.is_not(None), Vacancy.closes_at > after,
                                      Vacancy.closes_at <= before).order_by(Vacancy.id))
        return list((await self.session.execute(stmt)).scalars())

    async def draft_applications(self, vacancy_id: int) -> list[tuple[int, int, set[str]]]:
        """(application id, user id, codes uploaded) of the vacancy's drafts that name who to tell."""
        stmt = select(VacancyApplication.id, VacancyApplication.user_id).where(
            VacancyApplication.vacancy_id == vacancy_id, VacancyApplication.status == "draft",
            VacancyApplication.user_id.is_not(None)).order_by(VacancyApplication.id)
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        apps = [(int(a), cast(int, u)) for a, u in (await self.session.execute(stmt)).all()]
        codes: dict[int, set[str]] = {a: set() for a, _ in apps}
        if apps:
            docs = select(VacancyDocument.application_id, VacancyDocument.code).where(
                VacancyDocument.application_id.in_(list(codes)))
            for a, c in (await self.session.execute(docs)).all():
                codes[int(a)].add(str(c))
        return [(a, u, codes[a]) for a, u in apps]

    async def predikat_rows(self, employee_ids: Sequence[int] | None = None) -> list[tuple[int, int, str, str]]:
        """(employee id, year, period, predikat) of rated appraisals: the vacancies' predikat rule."""
        stmt = select(Appraisal.employee_id, Appraisal.year, Appraisal.period, Appraisal.predikat).where(
            Appraisal.predikat.is_not(None))
        if employee_ids is not None:
            stmt = stmt.where(Appraisal.employee_id.in_(list(employee_ids)))
        return [(int(e), int(y), str(p), str(k)) for e, y, p, k in (await self.session.execute(stmt)).all()]

    # --- appraisal
    async def appraisals_due(self, after: datetime, before: datetime) -> list[Appraisal]:
        """Appraisals whose deadline lies in (after, before]: the SKP job filters what is complete."""
        stmt = (select(Appraisal).where(Appraisal.deadline.is_not(None), Appraisal.deadline > after,
                                        Appraisal.deadline <= before).order_by(Appraisal.id))
        return list((await self.session.execute(stmt)).scalars())

    async def appraisals(self, ids: Sequence[int]) -> list[Appraisal]:
        if not ids:
            return []
        stmt = select(Appraisal).where(Appraisal.id.in_(list(ids))).order_by(Appraisal.id)
        return list((await self.session.execute(stmt)).scalars())

    # --- complaints
    async def complaints_in(self, statuses: Sequence[str]) -> list[tuple[int, str, str, int | None, datetime,
                                                                          datetime]]:
        """(id, number, status, agency id, response due, resolve due) of reports in `statuses`."""
        stmt = select(Complaint.id, Complaint.number, Complaint.status, Complaint.agency_id,
                      Complaint.response_due_at, Complaint.resolve_due_at).where(
            Complaint.status.in_(list(statuses))).order_by(Complaint.id)
        # A Row of these six columns is that tuple; tuple(row) loses the column types, which the list states.
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]  # type: ignore[misc]

    async def staff(self, roles: Sequence[str]) -> list[tuple[int, str, int | None]]:
        """(user id, role, agency id) of reachable staff in `roles`."""
        stmt = select(User.id, User.role, User.agency_id).where(
            User.role.in_(list(roles)), User.erased.is_(False), User.unreachable.is_(False)).order_by(User.id)
        return [(int(u), str(r), a) for u, r, a in (await self.session.execute(stmt)).all()]

    # --- housekeeping
    async def expire_codes(self, expired_before: datetime) -> int:
        """Unused activation codes past their expiry: their hashes are of no use to anyone."""
        res = await self.session.execute(delete(ActivationCode).where(
            ActivationCode.used_at.is_(None), ActivationCode.expires_at < expired_before))
        return rowcount(res)

    async def clear_stale_drafts(self, seen_before: datetime) -> int:
        """Conversations left mid-flow (a draft in the state) by people silent since `seen_before`."""
        res = await self.session.execute(
            update(User).where(User.state.is_not(None), User.last_seen_at < seen_before)
            .values(state=None, state_data={}))
        return rowcount(res)

    async def upcoming_for(self, employee_id: int, now: datetime) -> dict[str, Any]:
        """What /pengingat lists: the person's seats in trainings to come, their SKP deadlines, drafts."""
        seats = select(Training).join(Enrolment, and_(Enrolment.training_id == Training.id,
                                                      Enrolment.employee_id == employee_id)).where(
            Enrolment.status == "seat", Training.status == "open", Training.starts_at > now
        ).order_by(Training.starts_at).limit(5)
        skp = select(Appraisal).where(Appraisal.employee_id == employee_id, Appraisal.deadline > now
                                      ).order_by(Appraisal.deadline).limit(5)
        drafts = select(Vacancy).join(VacancyApplication, VacancyApplication.vacancy_id == Vacancy.id).where(
            VacancyApplication.employee_id == employee_id, VacancyApplication.status == "draft",
            Vacancy.closes_at > now).order_by(Vacancy.closes_at).limit(5)
        return {"trainings": list((await self.session.execute(seats)).scalars()),
                "appraisals": list((await self.session.execute(skp)).scalars()),
                "vacancies": list((await self.session.execute(drafts)).scalars())}
