"""The kinds of reminder a person can switch, and the outbox templates of each.

Imports nothing of the project, so that services/subscriptions can cancel queued notices of a
topic without importing the reminder jobs.
"""

from __future__ import annotations

TRAINING, VACANCY_DOCS, SKP, JP = "training", "vacancy_docs", "skp", "jp"
KINDS = (TRAINING, VACANCY_DOCS, SKP, JP)  # the order /pengingat shows them

TR_H1, TR_H0, TR_CLOSING = "rm.tr.h1", "rm.tr.h0", "rm.tr.closing"
VAC_NEW, VAC_DOCS = "rm.vac.new", "rm.vac.docs"
SKP_DUE, SKP_MUST, JP_NUDGE = "rm.skp", "rm.skp.must", "rm.jp"  # SKP_MUST: never cancelled
CX_DUE, CX_OVERDUE = "rm.cx.due", "rm.cx.overdue"

TEMPLATES: dict[str, tuple[str, ...]] = {
    TRAINING: (TR_H1, TR_H0), VACANCY_DOCS: (VAC_DOCS,), SKP: (SKP_DUE,), JP: (JP_NUDGE,),
}
# /langganan's topics (services/subscriptions) own these: switching a topic off cancels them.
TOPIC_TEMPLATES: dict[str, tuple[str, ...]] = {"vacancy": (VAC_NEW,), "training": (TR_CLOSING,)}


def mandatory(raw: str, period: str) -> bool:
    """Is the SKP period `period` one HR made mandatory (SAPA_SKP_MANDATORY: "all" or labels)?"""
    labels = {p.strip().lower() for p in raw.split(",") if p.strip()}
    return "all" in labels or period.strip().lower() in labels


def all_mandatory(raw: str) -> bool:
    return "all" in {p.strip().lower() for p in raw.split(",")}


def skp_offsets(raw: str) -> tuple[int, ...]:
    """"7,1" → (7, 1): days before a deadline, largest first, no repeats."""
    return tuple(sorted({int(p) for p in raw.split(",") if p.strip()}, reverse=True))
