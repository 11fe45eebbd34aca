"""Every typed notice has a renderer that speaks both languages, and a row that does not fit its
type fails with a reason instead of breaking halfway through a renderer."""

from __future__ import annotations

import dataclasses
import logging
import re
import typing
from typing import Any

import pytest
from sqlalchemy import select

from bot.delivery import Pause
from bot.outbox import OutboxSender
from bot.sandbox.html_check import check_html
from db.models import OutboxMessage, User
from handlers import build_router
from handlers.i18n import LOCALES, catalog
from handlers.notices import render_notice, renderer_for
from services.clock import utc_now
from services.notice import Notice, UnfitParams, notice_types

build_router()  # importing the features declares their notice types and registers the renderers
# The product's notices (tests declare their own, which have no renderer in the bot).
TYPES = {k: v for k, v in notice_types().items() if v.__module__.startswith("services.")}

# Strings whose values are codes (a kind, a status, a verdict, a zone, a date), not free text.
CODES: dict[str, str] = {
    "kind": "aspirasi", "status": "dijawab", "privacy": "rahasia", "detail": "partly", "action": "answer",
    "tz": "Asia/Makassar", "response_due_at": "2026-11-26T15:59:00+00:00",
    "resolve_due_at": "2026-12-11T15:59:00+00:00", "number": "BJB-2026-000007", "merged": "BJB-2026-000003",
}
FREE_TEXT = "Jalan <b>&</b> rusak 🚧"  # what a person typed: must arrive escaped
SAMPLE = {int: 7, float: 1.5, bool: True}
KEYS = set(catalog("id"))


def _sample(name: str, hint: Any) -> Any:
    options = [h for h in typing.get_args(hint) if h is not type(None)] or [hint]
    kind = options[0]
    if kind is str:
        if name not in CODES and name.endswith("_at"):  # a timestamp, as notices store them (ISO 8601, UTC)
            return "2026-12-03T01:00:00+00:00"
        return CODES.get(name, FREE_TEXT)
    return SAMPLE[kind]


# Codes that mean something else in one notice than in the complaints' (a vacancy's result status).
CODES_OF: dict[str, dict[str, str]] = {"vac.result": {"status": "lulus", "stage_key": "interview"}}


def _full(kind: type[Notice]) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    own = CODES_OF.get(kind.template, {})
    return {f.name: own.get(f.name) or _sample(f.name, hints[f.name])  # type: ignore[arg-type]
            for f in dataclasses.fields(kind)}


def _required(kind: type[Notice]) -> dict[str, Any]:
    """The fields an older row surely has: the others take their defaults."""
    full = _full(kind)
    return {f.name: full[f.name] for f in dataclasses.fields(kind)  # type: ignore[arg-type]
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


def test_the_features_declare_their_notices() -> None:
    assert {"announcement", "cx.new", "cx.returned", "cx.reopened", "cx.reply", "cx.status", "cx.answer",
            "cx.followed", "cx.rate", "cx.receipt"} <= set(TYPES)


@pytest.mark.parametrize("template", sorted(TYPES))
def test_every_notice_has_a_renderer(template: str) -> None:
    assert renderer_for(TYPES[template]) is not None, f"no @notice({TYPES[template].__name__}) renderer"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", sorted(TYPES))
@pytest.mark.parametrize("shape", ["full", "required"])
def test_every_notice_renders_in_every_language(template: str, locale: str, shape: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    kind = TYPES[template]
    params = _full(kind) if shape == "full" else _required(kind)
    assert kind.from_params(kind.from_params(params).to_params()) == kind.from_params(params)  # round trip
    with caplog.at_level(logging.ERROR, logger="handlers.i18n"):
        reply = render_notice(template, params, locale)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    words = reply.text + " " + " ".join(b.text for row in reply.buttons for b in row)
    raw = [k for k in re.findall(r"[a-z_]+(?:\.[a-z0-9_]+)+", words) if k in KEYS]
    assert raw == [], f"untranslated keys in {template}: {raw}"
    check_html(reply.text)  # what Telegram would accept
    assert "<b>&</b>" not in reply.text  # free text arrives escaped
    assert all(b.data is None or len(b.data.encode()) <= 64 for row in reply.buttons for b in row)


def test_a_notice_speaks_the_recipients_language() -> None:
    params = _full(TYPES["cx.new"])
    assert render_notice("cx.new", params, "id").text != render_notice("cx.new", params, "en").text


@pytest.mark.parametrize(("params", "reason"), [
    ({"id": 7}, "cx.new: missing field 'number'"),
    ({}, "cx.new: missing fields 'id', 'number'"),
    ({"id": "7", "number": "BJB-2026-000007"}, "cx.new: field 'id' must be int, not str"),
    ({"id": True, "number": "BJB-2026-000007"}, "cx.new: field 'id' must be int, not bool"),
    ({"id": 7, "number": ["BJB"]}, "cx.new: field 'number' must be str, not list"),
    ({"id": 7, "number": "BJB-2026-000007", "unstaffed": 3}, "cx.new: field 'unstaffed' must be str or NoneType, not int"),
    (["id", 7], "cx.new: params must be an object, not list"),
])
def test_params_that_do_not_fit_raise_a_type_error_naming_the_field(params: Any, reason: str) -> None:
    with pytest.raises(UnfitParams) as e:
        render_notice("cx.new", params, "id")
    assert isinstance(e.value, TypeError) and str(e.value) == reason


def test_unknown_keys_in_an_old_row_are_ignored() -> None:
    reply = render_notice("cx.rate", {"id": 7, "number": "BJB-2026-000007", "retired_field": "x"}, "en")
    assert "BJB-2026-000007" in reply.text


def test_an_unknown_template_stays_a_key_error() -> None:
    with pytest.raises(KeyError):
        render_notice("cx.no_such_notice", {"id": 7}, "id")


class _OldRow:
    """A row as older code wrote it: any template, any params, no type to check."""

    def __init__(self, template: str, params: dict[str, Any]) -> None:
        self.template, self._params = template, params

    def to_params(self) -> dict[str, Any]:
        return dict(self._params)


async def test_a_row_that_does_not_fit_its_type_fails_with_the_reason(app, channel) -> None:
    now = utc_now()
    async with app.db.uow() as uow:
        user = uow.users.add(User(channel="telegram", external_id=555001, chat_id=555001, name="Warga",
                                  state_data={}, created_at=now, last_seen_at=now))
        await uow.flush()
        await uow.outbox.add(user.id, _OldRow("cx.status", {"id": 7, "number": "BJB-2026-000007"}))
        await uow.outbox.add(user.id, _OldRow("cx.rate", {"id": "7", "number": "BJB-2026-000007"}))
        await uow.outbox.add(user.id, _OldRow("cx.rate", {"id": 7, "number": "BJB-2026-000007"}))
        await uow.commit()
    sender = OutboxSender(app.db, channel, render_notice, rate=10_000.0, in_flight=2, pause=Pause(), clock=utc_now)
    await sender.drain_once()
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    assert [(r.status, r.last_error) for r in rows] == [
        ("failed", "params do not fit the notice: cx.status: missing field 'status'"),
        ("failed", "params do not fit the notice: cx.rate: field 'id' must be int, not str"),
        ("sent", None),
    ]
    assert [s.chat_id for s in channel.sent] == [555001]  # the good row still went out
