"""Error parameters have one owner: `Chat.error` escapes every text param before it reaches a person."""

from __future__ import annotations

from bot.core import App
from bot.sandbox.html_check import check_html
from handlers import common
from handlers.router import Router
from services.errors import DomainError, InvalidInput, NotFound
from tests.harness import Person

CITIZEN = 1001


def _app_raising(settings, db, channel, clock, error: DomainError) -> App:
    """The common feature plus one command whose service refuses with `error`."""
    router = Router()
    router.include(common.router)

    @router.command("probe")
    async def probe(chat) -> None:
        raise error  # as a service would: params carry what was typed, unescaped

    return App(settings, db, router, channel, clock)


async def test_a_domain_error_carrying_markup_reaches_the_person_escaped(settings, db, channel, clock):
    app = _app_raising(settings, db, channel, clock, NotFound("opd.err.unknown_code", agency="<b>&"))
    await Person(app, channel, CITIZEN).say("/probe")
    text = channel.to(CITIZEN)[-1].text
    assert "OPD dengan kode <b>&lt;b&gt;&amp;</b> tidak ada" in text  # the catalog's own <b> stays markup
    check_html(text)  # what Telegram would accept


async def test_numbers_in_error_params_are_left_as_they_are(settings, db, channel, clock):
    app = _app_raising(settings, db, channel, clock, InvalidInput("opd.err.name", max=200))
    await Person(app, channel, CITIZEN).say("/probe")
    assert channel.to(CITIZEN)[-1].text == "Nama harus 2–200 karakter."


async def test_the_real_bot_escapes_a_refusal_it_did_not_render_itself(person, app, channel, monkeypatch):
    """Through the assembled bot: /opd's refusal is rendered by the router's one `Chat.error`."""
    from services.agencies import manage

    async def refuse(uow, person, code, words):
        raise NotFound("opd.err.unknown_code", agency=f"{code} 🚧")

    monkeypatch.setattr(manage, "set_keywords_by_code", refuse)
    hr = person(700003, "Ahmad")
    await hr.say("/opd <b>& jalan, jembatan")
    assert "<b>&lt;b&gt;&amp; 🚧</b>" in hr.last_text()
    check_html(hr.last_text())


async def test_a_refusal_leaves_the_conversation_where_it_was(settings, db, channel, clock):
    """A handler that entered a step before the service said no: the step is not kept."""
    from handlers.i18n import t
    from services.errors import Forbidden
    from tests.harness import conversation_state

    router = Router()
    router.include(common.router)

    @router.command("probe")
    async def probe(chat) -> None:
        chat.goto("probe.step", half="typed")
        raise Forbidden("cx.err.erase_staff")

    app = App(settings, db, router, channel, clock)
    rina = Person(app, channel, 1001)
    await rina.say("/start")
    await rina.say("/probe")
    assert rina.last_text() == t("id", "cx.err.erase_staff")
    assert await conversation_state(app, 1001) == (None, {})
