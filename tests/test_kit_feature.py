"""The registry: one list of features, and a clash between two of them stops start-up."""

from __future__ import annotations

import pytest

from handlers.callbacks import Callback
from handlers.feature import Feature, assemble
from handlers.features import bot
from handlers.flow import Step, Steps
from handlers.i18n import LOCALES, catalog
from handlers.router import Chat, DuplicateRegistration, Router
from services.jobs import Job


class Open(Callback, prefix="kt:o"):
    item_id: int


def _router(name: str, *, command: str = "a", prefix: str | type[Callback] = "kt:x", state: str = "kt.s") -> Router:
    r = Router(name)

    @r.command(command)
    @r.state(state)
    async def h(chat: Chat) -> None: ...

    @r.callback(prefix)
    async def cb(chat: Chat, *args: object) -> None: ...
    return r


@pytest.mark.parametrize("clash", ["command", "prefix", "state"])
def test_two_features_claiming_one_name_are_refused(clash: str) -> None:
    first = _router("one")
    kw = {"command": "b", "prefix": "kt:y", "state": "kt.t"}
    kw[{"command": "command", "prefix": "prefix", "state": "state"}[clash]] = {
        "command": "a", "prefix": "kt:x", "state": "kt.s"}[clash]
    second = _router("two", **kw)  # type: ignore[arg-type]
    with pytest.raises(DuplicateRegistration, match="two"):
        assemble([Feature("one", first), Feature("two", second)])


def test_one_router_registering_twice_is_refused() -> None:
    r = Router("r")

    @r.callback(Open)
    async def a(chat: Chat, data: Open) -> None: ...

    with pytest.raises(DuplicateRegistration):
        @r.callback("kt:o")
        async def b(chat: Chat) -> None: ...


async def _job(db: object, settings: object, now: object) -> None: ...


def test_jobs_features_and_commands_are_unique() -> None:
    with pytest.raises(DuplicateRegistration, match="job"):
        assemble([Feature("one", Router(), jobs=(Job("tick", _job),)), Feature("two", Router(), jobs=(Job("tick", _job),))])
    with pytest.raises(DuplicateRegistration, match="feature"):
        assemble([Feature("one", Router()), Feature("one", Router())])
    with pytest.raises(DuplicateRegistration, match="published command"):
        assemble([Feature("one", Router(), commands=("x",)), Feature("two", Router(), commands=("x",))])


def test_a_declared_step_without_a_handler_is_refused() -> None:
    class Half(Steps, prefix="kth"):
        first = Step()
        second = Step()

    r = Router("half")

    @r.step(Half.first)
    async def first(chat: Chat) -> None: ...

    with pytest.raises(LookupError, match="kth.second"):
        assemble([Feature("half", r, flows=(Half,))])


def test_the_real_bot_assembles_and_publishes_its_commands_in_order() -> None:
    b = bot()
    assert b.commands[:3] == ("start", "lapor", "status")
    assert "bantuan" in b.commands and len(set(b.commands)) == len(b.commands)
    assert b.router.fallback is not None and b.router.on_stale_button is not None


def test_every_published_command_is_described_in_both_locales_and_none_is_staff_only() -> None:
    """The menu Telegram shows everyone: a staff command there would invite every citizen to be refused."""
    b = bot()
    assert [c for c in b.commands if "/" + c in b.router.gates] == []
    for locale in LOCALES:
        assert [c for c in b.commands if f"cmd.{c}" not in catalog(locale)] == [], locale


def test_one_prefix_may_hold_several_flows_but_a_flow_is_listed_once() -> None:
    """`opd.code`/`opd.new_name` and `opd.name` are two flows of one prefix; listing one twice is refused."""
    class Adding(Steps, prefix="ktp"):
        code = Step()

    class Renaming(Steps, prefix="ktp"):
        name = Step()

    r = Router("p")

    @r.step(Adding.code, Renaming.name)
    async def typed(chat: Chat) -> None: ...

    assert assemble([Feature("p", r, flows=(Adding, Renaming))]).flows == (Adding, Renaming)
    with pytest.raises(DuplicateRegistration, match="flow"):
        assemble([Feature("p", r, flows=(Adding,)), Feature("q", Router("q"), flows=(Adding,))])


def test_flows_may_share_a_prefix_but_not_a_step() -> None:
    """Filing's "cx.kind" and the one-step "cx.reply" share "cx"; two flows declaring one state clash."""
    class Long(Steps, prefix="ktp"):
        first = Step()

    class Short(Steps, prefix="ktp"):
        second = Step()

    class Again(Steps, prefix="ktp"):
        first = Step()

    r = Router("shared")

    @r.step(Long.first, Short.second)
    async def typed(chat: Chat) -> None: ...

    assembled = assemble([Feature("shared", r, flows=(Long, Short))])
    assert [s.name for f in assembled.flows for s in f.steps] == ["ktp.first", "ktp.second"]
    with pytest.raises(DuplicateRegistration, match="step 'ktp.first'"):
        assemble([Feature("shared", r, flows=(Long, Again))])
    with pytest.raises(DuplicateRegistration, match="flow"):
        assemble([Feature("shared", r, flows=(Long, Long))])
