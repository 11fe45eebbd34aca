"""Reminder kinds and subscription topics come from the features' manifests: a feature the
shared code has never heard of registers a kind and a topic, and /pengingat and /langganan
show them, switch them, and cancel their queued rows; two owners of one key are refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from db.models import OutboxMessage, ReminderPref, Subscription
from db.uow import UnitOfWork
from handlers import features
from handlers.feature import Feature, assemble, renders
from handlers.i18n import catalog
from handlers.kit import Reply
from handlers.router import DuplicateRegistration, Router
from services.notice import Notice, queue
from services.reminders.kinds import Next, ReminderKind, Upcoming
from services.settings import Settings
from services.subscriptions import Topic
from tests.test_training_flows import link

SITI_TG = 700002


class KtNudge(Notice, template="kt.nudge"):
    note: str


class KtNews(Notice, template="kt.news"):
    note: str


@renders(KtNudge)
def kt_nudge(loc: str, x: KtNudge) -> Reply:
    return Reply(x.note)


@renders(KtNews)
def kt_news(loc: str, x: KtNews) -> Reply:
    return Reply(x.note)


async def _coming(uow: UnitOfWork, employee_id: int, enabled: bool, now: datetime, settings: Settings) -> Upcoming:
    return Upcoming([Next("ktfake", now + timedelta(days=1), "Lomba <b>")] if enabled else [])


KIND = ReminderKind("ktfake", (KtNudge.template,), order=25, icon="🧪", upcoming=_coming)
TOPIC = Topic("ktnews", ("weekly", "off"), (KtNews.template,), order=30)
FAKE = Feature("ktfeature", Router("ktfeature"), notices=(kt_nudge, kt_news), reminders=(KIND,), topics=(TOPIC,))
WORDS = {"rm.kind.ktfake": "Lomba uji", "rm.up.ktfake": "Lomba: {title}", "sub.line.ktnews": "🧪 Kabar uji: <b>{value}</b>",
         "sub.topic.ktnews": "Kabar uji", "sub.ktnews.weekly": "mingguan", "sub.ktnews.off": "tidak berlangganan",
         "sub.btn.ktnews.weekly": "Kabar uji: mingguan", "sub.btn.ktnews.off": "Kabar uji: mati"}


@pytest.fixture
def fake_feature(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The bot assembled with one more feature; its words in the catalog as its .po would put them."""
    real = features.features
    monkeypatch.setattr(features, "features", lambda: [*real(), FAKE])
    for key, text in WORDS.items():
        monkeypatch.setitem(catalog("id"), key, text)
    features.bot.cache_clear()
    yield
    monkeypatch.undo()
    features.bot.cache_clear()


async def _rows(app) -> set[str]:  # noqa: ANN001
    async with app.db.uow() as uow:
        return {r.template for r in (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.dedupe_key.like("kt:%")))).scalars()}


async def _queue_both(app, clock) -> None:  # noqa: ANN001
    async with app.db.uow() as uow:
        me = await uow.users.by_external("telegram", SITI_TG)
        later = clock() + timedelta(hours=5)  # held: still pending when the switch is pressed
        await queue(uow, me.id, KtNudge("a"), dedupe_key="kt:nudge", not_before=later)
        await queue(uow, me.id, KtNews("b"), dedupe_key="kt:news", not_before=later)
        await uow.commit()


async def test_a_registered_kind_is_listed_switched_and_its_queued_rows_cancelled(app, person, clock,  # noqa: ANN001
                                                                                  fake_feature) -> None:
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await _queue_both(app, clock)
    await siti.say("/pengingat")
    text = siti.last_text()
    assert "🧪 Lomba uji: ✅ aktif" in text and "Lomba: Lomba &lt;b&gt;" in text
    # In its registered place: after the vacancy documents, before SKP.
    labels = siti.last_labels()
    assert labels.index("Matikan: Dokumen lamaran yang belum lengkap") < labels.index("Matikan: Lomba uji") < labels.index(
        "Matikan: Tenggat SKP")
    await siti.press("Matikan: Lomba uji")
    assert "Lomba uji: 🚫 mati" in siti.last_text() and "Lomba: Lomba" not in siti.last_text()
    async with app.db.uow() as uow:
        prefs = {p.kind: p.enabled for p in (await uow.session.execute(select(ReminderPref))).scalars()}
    assert prefs == {"ktfake": False}
    assert await _rows(app) == {"kt.news"}  # its own template cancelled; the topic's row left alone


async def test_a_registered_topic_is_offered_and_switching_it_off_cancels_its_rows(app, person, clock,  # noqa: ANN001
                                                                                  fake_feature) -> None:
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await _queue_both(app, clock)
    await siti.say("/langganan")
    assert "🧪 Kabar uji: <b>mingguan" in siti.last_text()  # its default, its first choice
    assert "✅ Kabar uji: mingguan" in siti.last_labels()
    await siti.say("/pengingat")  # /pengingat sums up the topics too
    assert "🧪 Kabar uji: <b>mingguan" in siti.last_text()
    await siti.say("/langganan")
    await siti.press("Kabar uji: mati")
    assert "Kabar uji: <b>tidak berlangganan" in siti.last_text()
    async with app.db.uow() as uow:
        rows = {(s.topic, s.choice) for s in (await uow.session.execute(select(Subscription))).scalars()}
    assert rows == {("ktnews", "off")}
    assert await _rows(app) == {"kt.nudge"}


async def test_without_the_feature_its_kind_and_topic_are_unknown_buttons(app, person) -> None:  # noqa: ANN001
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await siti.press_data("rm:s:ktfake:off")
    await siti.press_data("sub:s:ktnews:off")
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(ReminderPref))).first() is None
        assert (await uow.session.execute(select(Subscription))).first() is None


def test_two_owners_of_a_kind_a_topic_or_a_template_are_refused() -> None:
    def one(**kw: object) -> Feature:
        return Feature("one", Router("one"), notices=(kt_nudge, kt_news), **kw)  # type: ignore[arg-type]

    with pytest.raises(DuplicateRegistration, match="reminder kind 'ktfake'"):
        assemble([one(reminders=(KIND,)), Feature("two", Router("two"), reminders=(KIND,))])
    with pytest.raises(DuplicateRegistration, match="subscription topic 'ktnews'"):
        assemble([one(topics=(TOPIC,)), Feature("two", Router("two"), topics=(TOPIC,))])
    with pytest.raises(DuplicateRegistration, match="template 'kt.nudge'"):
        assemble([one(reminders=(KIND,), topics=(Topic("other", ("on", "off"), (KtNudge.template,)),))])
    with pytest.raises(LookupError, match="kt.news"):  # a template nobody renders cannot be cancelled by a switch
        assemble([Feature("two", Router("two"), topics=(TOPIC,))])
    real = features.bot()
    assert [k.key for k in real.reminders] == ["training", "vacancy_docs", "skp", "jp"]
    assert [t.key for t in real.topics] == ["vacancy", "training"]
