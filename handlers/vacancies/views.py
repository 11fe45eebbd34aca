"""Words and buttons of the open selection. Every value HR or a person typed is escaped here."""

from __future__ import annotations

from datetime import tzinfo

from babel.numbers import format_decimal

from handlers.dates import moment as when
from handlers.dates import short_day
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from handlers.vacancies.callbacks import (
    VacAnnounce,
    VacApply,
    VacDocItem,
    VacDocs,
    VacFix,
    VacList,
    VacMine,
    VacSubmit,
    VacTrack,
    VacView,
    VacWithdraw,
)
from services.vacancies.dto import (
    DRAFT,
    LULUS,
    NOT_TAKEN,
    NOT_YET,
    RUNNING,
    SUBMITTED,
    TIDAK_LULUS,
    Announcement,
    ApplicationView,
    Correction,
    DocumentView,
    StageView,
    Tracking,
    VacancyView,
)
from services.vacancies.notices import StageResult
from services.vacancies.rules import ACCEPTED, MAX_FILE_BYTES, REJECTED, DocumentItem, Requirements, Unmet

PAGE = 5
STATUS_ICON = {LULUS: "✅", TIDAK_LULUS: "❌", RUNNING: "⏳", NOT_YET: "▫️", NOT_TAKEN: "➖"}



def score(loc: str, value: float) -> str:
    return format_decimal(value, "#,##0.##", locale=loc)


def _kind(loc: str, kind: object) -> str:
    return t(loc, f"cs.kind.{kind}") if kind else "-"


def types_text(loc: str, types: tuple[str, ...] | str) -> str:
    parts = types.split(",") if isinstance(types, str) else list(types)
    return t(loc, "vac.or").join(t(loc, f"vac.type.{p}") for p in parts if p)


def reason(loc: str, u: Unmet) -> str:
    """One unmet rule as a sentence with the person's own value and the limit."""
    p = u.params
    if u.rule == "golongan":
        return t(loc, "vac.rule.golongan", have=p["have"] or "-", need=p["need"])
    if u.rule == "predikat_none":
        return t(loc, "vac.rule.predikat_none", need=t(loc, f"cs.predikat.{p['need']}"), years=p["years"])
    if u.rule == "predikat_missing":
        return t(loc, "vac.rule.predikat_missing", year=p["year"], need=t(loc, f"cs.predikat.{p['need']}"))
    if u.rule == "predikat_low":
        return t(loc, "vac.rule.predikat_low", year=p["year"], have=t(loc, f"cs.predikat.{p['have']}"),
                 need=t(loc, f"cs.predikat.{p['need']}"))
    if u.rule == "jabatan":
        return t(loc, "vac.rule.jabatan", have=_kind(loc, p["have"]),
                 need=t(loc, "vac.or").join(_kind(loc, k) for k in p["need"]))
    if u.rule == "age":
        return t(loc, "vac.rule.age", on=short_day(loc, p["on"]), age=p["age"], max=p["max"])
    if u.rule == "service":
        return t(loc, "vac.rule.service", on=short_day(loc, p["on"]), years=p["years"], min=p["min"])
    return t(loc, f"vac.rule.{u.rule}", **{k: v for k, v in p.items() if isinstance(v, int | str)})


def requirement_lines(loc: str, req: Requirements) -> list[str]:
    out = []
    if req.min_golongan:
        out.append(t(loc, "vac.req.golongan", need=req.min_golongan))
    if req.min_predikat and req.predikat_years:
        out.append(t(loc, "vac.req.predikat", need=t(loc, f"cs.predikat.{req.min_predikat}"),
                     years=req.predikat_years))
    if req.jabatan_kinds:
        out.append(t(loc, "vac.req.jabatan", need=t(loc, "vac.or").join(_kind(loc, k) for k in req.jabatan_kinds)))
    if req.max_age is not None:
        out.append(t(loc, "vac.req.age", max=req.max_age))
    if req.min_service_years is not None:
        out.append(t(loc, "vac.req.service", min=req.min_service_years))
    return out or [t(loc, "vac.req.none")]


def stage_name(loc: str, key: str | None, name: str) -> str:
    """A standard stage in the reader's language; one HR named itself as HR wrote it."""
    return t(loc, f"vac.stage.{key}") if key else escape(name)


def _eligibility(loc: str, v: VacancyView) -> str:
    if v.eligible:
        return t(loc, "vac.eligible")
    return t(loc, "vac.not_eligible") + "\n" + "\n".join(f"• {reason(loc, u)}" for u in v.unmet)


def vacancy_list(loc: str, tz: tzinfo, views: list[VacancyView], page: int) -> tuple[str, list[list[Button]]]:
    if not views:
        return t(loc, "vac.list.empty"), [[Button(t(loc, "vac.btn.mine"), VacMine().pack())],
                                           [Button(t(loc, "menu.back"), Menu().pack())]]
    pages = (len(views) + PAGE - 1) // PAGE
    page = max(0, min(page, pages - 1))
    shown = views[page * PAGE:(page + 1) * PAGE]
    lines = [t(loc, "vac.list.title", n=len(views))]
    rows: list[list[Button]] = []
    for v in shown:
        mark = "✅" if v.eligible else "❌"
        lines.append(t(loc, "vac.list.item", mark=mark, jabatan=escape(v.jabatan), agency=escape(v.agency),
                       kind=t(loc, f"vac.kind.{v.kind}"), closes=when(loc, v.closes_at, tz)))
        rows.append([Button(f"{mark} {v.jabatan}"[:60], VacView(v.id).pack())])
    if pages > 1:
        lines.append(t(loc, "vac.page", page=page + 1, pages=pages))
        nav = []
        if page > 0:
            nav.append(Button(t(loc, "vac.btn.prev"), VacList(page - 1).pack()))
        if page < pages - 1:
            nav.append(Button(t(loc, "vac.btn.next"), VacList(page + 1).pack()))
        rows.append(nav)
    rows.append([Button(t(loc, "vac.btn.mine"), VacMine().pack()), Button(t(loc, "menu.back"), Menu().pack())])
    return "\n\n".join(lines), rows


def vacancy_card(loc: str, tz: tzinfo, v: VacancyView) -> tuple[str, list[list[Button]]]:
    parts = [
        t(loc, "vac.card", jabatan=escape(v.jabatan), agency=escape(v.agency), kind=t(loc, f"vac.kind.{v.kind}"),
          code=escape(v.code), closes=when(loc, v.closes_at, tz)),
        t(loc, "vac.card.requirements") + "\n" + "\n".join(f"• {line}" for line in requirement_lines(loc, v.requirements)),
        t(loc, "vac.card.documents") + "\n" + "\n".join(
            f"• {escape(d.label)} ({types_text(loc, d.types)})" for d in v.documents),
        t(loc, "vac.card.stages") + "\n" + "\n".join(
            f"{s.position}. {stage_name(loc, s.key, s.name)}" for s in v.stages),
        _eligibility(loc, v),
    ]
    if not v.is_open:
        parts.append(t(loc, "vac.card.closed"))
    rows: list[list[Button]] = []
    if v.application_id is not None and v.application_status == DRAFT and v.is_open:
        rows.append([Button(t(loc, "vac.btn.resume"), VacDocs(v.application_id).pack())])
    elif v.application_id is not None and v.application_status == SUBMITTED:
        rows.append([Button(t(loc, "vac.btn.track"), VacTrack(v.application_id).pack())])
    elif v.is_open and v.eligible:
        rows.append([Button(t(loc, "vac.btn.apply"), VacApply(v.id).pack())])
    rows.append([Button(t(loc, "vac.btn.list"), VacList().pack()), Button(t(loc, "menu.back"), Menu().pack())])
    return "\n\n".join(parts), rows


def confirm_apply(loc: str, tz: tzinfo, v: VacancyView) -> str:
    docs = "\n".join(f"• {escape(d.label)} ({types_text(loc, d.types)})" for d in v.documents)
    return t(loc, "vac.confirm", jabatan=escape(v.jabatan), agency=escape(v.agency), docs=docs,
             closes=when(loc, v.closes_at, tz))


def _size(size: int | None) -> str:
    if not size:
        return ""
    return f", {size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f", {max(1, size // 1024)} KB"


def checklist(loc: str, tz: tzinfo, app: ApplicationView, current: DocumentItem | None
              ) -> tuple[str, list[list[Button]]]:
    """Each item of the checklist, done or missing, and what the next file is for."""
    have = {d.code: d for d in app.documents}
    lines = [t(loc, "vac.docs.title", jabatan=escape(app.vacancy.jabatan), closes=when(loc, app.vacancy.closes_at, tz))]
    rows: list[list[Button]] = []
    for i, item in enumerate(app.vacancy.documents):
        got = have.get(item.code)
        if got:
            lines.append(f"✅ {escape(item.label)} — {escape(got.name or '')}{_size(got.size)}")
        else:
            lines.append(f"⬜ {escape(item.label)} ({types_text(loc, item.types)})")
        label = t(loc, "vac.btn.replace" if got else "vac.btn.upload", label=item.label)
        rows.append([Button(label[:60], VacDocItem(app.id, i).pack())])
    if current is not None:
        lines.append(t(loc, "vac.docs.send", label=escape(current.label), types=types_text(loc, current.types),
                       max_mb=MAX_FILE_BYTES // (1024 * 1024)))
    if app.complete:
        lines.append(t(loc, "vac.docs.complete"))
        rows.append([Button(t(loc, "vac.btn.submit"), VacSubmit(app.id).pack())])
    else:
        lines.append(t(loc, "vac.docs.missing", n=len(app.missing)))
    rows.append([Button(t(loc, "vac.btn.later"), VacMine().pack())])
    return "\n".join(lines), rows


def mine(loc: str, apps: list[ApplicationView]) -> tuple[str, list[list[Button]]]:
    rows: list[list[Button]] = []
    if not apps:
        return t(loc, "vac.mine.empty"), [[Button(t(loc, "vac.btn.list"), VacList().pack())],
                                          [Button(t(loc, "menu.back"), Menu().pack())]]
    lines = [t(loc, "vac.mine.title")]
    for a in apps:
        lines.append(t(loc, "vac.mine.item", jabatan=escape(a.vacancy.jabatan), agency=escape(a.vacancy.agency),
                       status=t(loc, f"vac.status.{a.status}")))
        rows.append([Button(a.vacancy.jabatan[:60], VacTrack(a.id).pack())])
    rows.append([Button(t(loc, "vac.btn.list"), VacList().pack()), Button(t(loc, "menu.back"), Menu().pack())])
    return "\n\n".join(lines), rows


def tracking(loc: str, tz: tzinfo, tr: Tracking) -> tuple[str, list[list[Button]]]:
    app, v = tr.application, tr.application.vacancy
    lines = [t(loc, "vac.track.title", jabatan=escape(v.jabatan), agency=escape(v.agency),
               status=t(loc, f"vac.status.{app.status}"))]
    if app.submitted_at:
        lines.append(t(loc, "vac.track.submitted", at=when(loc, app.submitted_at, tz)))
    if app.status == SUBMITTED:
        lines += _reviewed(loc, app)
    for p in tr.stages:
        icon = STATUS_ICON.get(p.status, "⏳")
        line = f"{icon} {p.stage.position}. {stage_name(loc, p.stage.key, p.stage.name)}: {t(loc, f'vac.result.{p.status}')}"
        if p.score is not None:
            line += " " + t(loc, "vac.track.score", score=score(loc, p.score))
        lines.append(line)
    rows: list[list[Button]] = [[Button(t(loc, "vac.btn.announcement", stage=stage_label(loc, s))[:60],
                                        VacAnnounce(s.id).pack())] for s in v.stages if s.published]
    if app.status == DRAFT and v.is_open:
        rows.append([Button(t(loc, "vac.btn.resume"), VacDocs(app.id).pack())])
    rows += [[Button(t(loc, "vac.btn.fix_doc", label=d.label)[:60], VacFix(d.id).pack())] for d in app.correctable]
    if app.status in (DRAFT, SUBMITTED) and v.is_open:
        rows.append([Button(t(loc, "vac.btn.withdraw"), VacWithdraw(app.id).pack())])
    rows.append([Button(t(loc, "vac.btn.mine"), VacMine().pack()), Button(t(loc, "menu.back"), Menu().pack())])
    return "\n".join(lines), rows


def _review(loc: str, d: DocumentView) -> str:
    if d.review == ACCEPTED:
        return t(loc, "vac.doc.accepted")
    if d.review == REJECTED:
        return t(loc, "vac.doc.rejected", reason=escape(d.reason or "-"))
    return t(loc, "vac.doc.corrected" if d.corrected_at else "vac.doc.unreviewed")


def _reviewed(loc: str, app: ApplicationView) -> list[str]:
    """Each submitted file with the committee's review, and whether a rejected one can still be fixed."""
    icons = {ACCEPTED: "✅", REJECTED: "❌"}
    lines = [t(loc, "vac.card.documents")]
    lines += [f"{icons.get(d.review or '', '⏳')} {escape(d.label)}: {_review(loc, d)}" for d in app.documents]
    if any(d.review == REJECTED for d in app.documents):
        lines.append(t(loc, "vac.doc.fix_open" if app.correctable else "vac.doc.fix_closed"))
    return [*lines, ""]


def fix_prompt(loc: str, c: Correction) -> str:
    return t(loc, "vac.fix.ask", jabatan=escape(c.application.vacancy.jabatan), label=escape(c.item.label),
             reason=escape(c.reason or "-"), types=types_text(loc, c.item.types), max_mb=MAX_FILE_BYTES // (1024 * 1024))


def stage_label(loc: str, s: StageView) -> str:
    return t(loc, f"vac.stage.{s.key}") if s.key else s.name  # a button label is plain text, not HTML


def announcement(loc: str, ann: Announcement) -> tuple[str, list[list[Button]]]:
    lines = [t(loc, "vac.ann.title", stage=stage_name(loc, ann.stage.key, ann.stage.name),
               jabatan=escape(ann.vacancy.jabatan))]
    for r in ann.rows:
        you = " " + t(loc, "vac.ann.you") if r.mine else ""
        lines.append(f"{STATUS_ICON.get(r.status, '⏳')} {escape(r.name)} — {escape(r.agency)}: "
                     f"{t(loc, f'vac.result.{r.status}')}{you}")
    if not ann.rows:
        lines.append(t(loc, "vac.ann.empty"))
    return "\n".join(lines), [[Button(t(loc, "vac.btn.mine"), VacMine().pack()), Button(t(loc, "menu.back"), Menu().pack())]]


@renders(StageResult)
def stage_result(loc: str, n: StageResult) -> Reply:
    stage = stage_name(loc, n.stage_key, n.stage_name)
    key = "vac.notice.corrected" if n.corrected else "vac.notice.published"
    lines = [t(loc, key, stage=stage, jabatan=escape(n.jabatan))]
    if n.status is None:
        lines.append(t(loc, "vac.notice.not_in_stage"))
    else:
        mine_ = t(loc, f"vac.result.{n.status}")
        if n.score is not None:
            mine_ += " " + t(loc, "vac.track.score", score=score(loc, n.score))
        lines.append(t(loc, "vac.notice.yours", result=mine_))
    return Reply("\n".join(lines), [[Button(t(loc, "vac.btn.track"), VacTrack(n.application_id).pack())],
                                    [Button(t(loc, "vac.btn.announcement_short"), VacAnnounce(n.stage_id).pack())]])
