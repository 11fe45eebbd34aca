"""Every action the code records (as tests/test_i18n_keys.py finds them), with details as its
service records them, reads in words in both languages: no message key, no snake_case code, no
JSON, no unfilled placeholder, and no missing-translation error on the way."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.i18n import LOCALES, has
from handlers.staff import auditwords as words
from services.staff.audit import Entry
from tests.test_i18n_keys import audit_actions

TZ = ZoneInfo("Asia/Makassar")
AT = "2026-11-23T02:00:00+00:00"
IMPORT = {"rows": 11, "created": 3, "updated": 0, "unchanged": 0, "errors": 8}
DOCS = [{"code": "lamaran", "label": "Surat lamaran", "types": ["pdf"]}]
VACANCY = {"code": "JF-PUPR-2026-07", "jabatan": "Penata Jalan Ahli Madya", "agency_id": 4, "kind": "jf",
           "opens_at": AT, "closes_at": AT, "requirements": {
               "min_golongan": "III/b", "min_predikat": "baik", "predikat_years": 2,
               "jabatan_kinds": ["jf_ahli_pertama", "jf_ahli_muda"], "max_age": 45, "min_service_years": 2},
           "documents": DOCS, "stages": [["registration", "Pengumuman dan pendaftaran"], [None, "Tes lisan"]],
           "published_at": None}
# (target, details) as the services record them; an action not listed gets its family's shape.
SAMPLES: dict[str, tuple[str | None, dict[str, Any]]] = {
    "audit.export": (None, {"rows": 3, "person": None, "prefix": "role.grant", "since": AT, "until": AT}),
    "broadcast.cancel": ("broadcast:1", {"was": "queued", "cancelled": 12}),
    "broadcast.confirm": ("broadcast:1", {"recipients": 6, "urgent": False, "starts_at": AT, "audience": {
        "citizens": False, "agencies": [], "gol_min": None, "gol_max": None, "kinds": [], "employment": None,
        "topic": None}}),
    "broadcast.create": ("broadcast:2", {"chars": 18, "attachment": "photo", "copy_of": 1}),
    "broadcast.reschedule": ("broadcast:1", {"rows": 12, "was": AT, "starts_at": AT}),
    "broadcast.urgent": ("broadcast:1", {"rows": 12, "was": AT}),
    "complaint.verify": ("BJB-2026-000001", {"before": {"status": "diterima"}, "after": {"status": "diverifikasi"},
                                             "implied_by": "answer"}),
    "complaint.claim": ("BJB-2026-000001", {"before": {"claimed_by": None}, "after": {"claimed_by": 2},
                                            "taken_over": False}),
    "denied": ("btn:cxo:rl", {"role": "officer", "code": "cx.err.not_claimant"}),
    "employee.code_refused": ("employee:4", {"reason": "expired"}),
    "employee.code_revoked": ("employee:4", {"before": {"unused_codes": 1, "expires_at": [AT]},
                                             "after": {"unused_codes": 0}}),
    "employee.link": ("employee:2", {"via": "code"}),
    "employee.release": ("employee:2", {"user": 3, "before": {"user": 3, "role": "asn"},
                                        "after": {"user": None, "role": "citizen"}}),
    "role.grant": ("user:3", {"role": "officer", "previous": None, "agency": "DINKES", "telegram_id": 700040,
                              "before": {"role": "citizen", "agency": None},
                              "after": {"role": "officer", "agency": "DINKES"}}),
    "stats.export": ("reports:20260301-20260331", {"agency": "*", "rows": 2, "truncated": False}),
    "training.attended": ("training:14", {"marked": [1], "already": [], "unknown": [], "before": {"1": "seat"},
                                          "after": {"1": "attended"}}),
    "training.cancel": ("training:14", {"before": {"status": "open"}, "after": {"status": "cancelled"},
                                        "reason": "Narasumber berhalangan", "notified": 2, "reminders_cancelled": 0}),
    "training.create": ("training:14", {"before": None, "after": {
        "code": "PK-2027-01", "starts_at": AT, "jp": 16, "min_golongan": "III/a", "max_golongan": None,
        "jabatan_kinds": ["jf_ahli_pertama"], "agency_ids": [2, 4], "employment": "PNS"}}),
    "training.unattended": ("training:14", {"employee_id": 2, "jp": 12, "reason_code": "absent", "reason": None,
                                            "before": {"status": "attended", "attended_from": "seat"},
                                            "after": {"status": "seat"}, "told": True}),
    "user.erase": ("user:3", {"reports": 1}),
    "vacancy.document_corrected": ("application:1", {"document": 1, "code": "lamaran", "before": {
        "file_id": "doc711", "name": "lamaran.pdf", "size": 8, "mime": "application/pdf", "review": "rejected",
        "reason": "Buram", "reviewed_by": 1, "reviewed_at": AT}, "after": {"review": None}}),
    "vacancy.document_reviewed": ("application:1", {"document": 1, "code": "lamaran",
                                                    "before": {"review": None, "reason": None},
                                                    "after": {"review": "rejected", "reason": "Buram"}}),
    "vacancy.draft_created": ("vacancy:3", {"before": None, "after": VACANCY}),
    "vacancy.draft_edited": ("vacancy:3", {"before": VACANCY, "after": {**VACANCY, "kind": "jpt"}}),
    "vacancy.publish": ("stage:1", {"vacancy": 1, "results": 1}),
    "vacancy.published": ("vacancy:3", {"before": {"published_at": None}, "after": {"published_at": AT},
                                        "code": "JF-PUPR-2026-07"}),
    "vacancy.result": ("application:1", {"stage": 1, "status": "tidak_lulus", "score": 60.0, "before": None,
                                         "after": {"status": "tidak_lulus", "score": 60.0}}),
    "vacancy.result_corrected": ("application:1", {"stage": 1, "old": {"status": "lulus", "score": 85.5},
                                                   "new": {"status": "menunggu", "score": None}, "reason": "Salah"}),
}
# Readings of the samples above that once showed a code, a bare id or a wrong label.
READS = {
    ("complaint.verify", "id"): ["bagian dari: Menjawab laporan"],
    ("stats.export", "id"): ["laporan 1 Mar 2026 – 31 Mar 2026", "OPD: semua OPD"],
    ("stats.export", "en"): ["reports 1 Mar 2026 – 31 Mar 2026", "agency: all agencies"],
    ("audit.export", "en"): ["action prefix: Granted a role"],
    ("training.attended", "id"): ["pegawai #1: terdaftar → hadir"],
    ("training.create", "id"): ["jenis jabatan: JF Ahli Pertama"],
    ("vacancy.draft_created", "en"): ["kind: Functional position", "lowest performance rating: Good (Baik)",
                                      "stages: Announcement and registration, Tes lisan"],
    ("broadcast.confirm", "id"): ["sasaran: semua ASN"],
    ("broadcast.reschedule", "id"): ["sebelumnya: 23 Nov 2026, 10.00 WITA"],
    ("employee.code_refused", "en"): ["reason: This activation code has expired."],
    ("denied", "id"): ["alasan: tidak berhak melakukannya"],
}
KEY = re.compile(r"\b(?:sf|error|cx|tra|tr|vac|vaa|link|bc|stx|role|cs)\.[a-z_.]+")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _fields(value: Any) -> set[str]:
    """Every field name in recorded details, nested ones too (a vacancy's requirements)."""
    if isinstance(value, dict):
        return {str(k) for k in value} | {f for v in value.values() for f in _fields(v)}
    if isinstance(value, list):
        return {f for v in value for f in _fields(v)}
    return set()


def test_every_recorded_field_has_a_label() -> None:
    """A field without one reads as its name with spaces: English words in an Indonesian log."""
    fields = {f for a in audit_actions() for f in _fields(_sample(a)[1])}
    missing = sorted(f for f in fields - words.SKIPPED - {"before", "after"}
                     if not f.isdigit() and not has(f"sf.f.{f}"))
    assert missing == []


def _sample(action: str) -> tuple[str | None, dict[str, Any]]:
    if action in SAMPLES:
        return SAMPLES[action]
    if action.endswith(".import"):
        return "data.csv", dict(IMPORT)
    if action.startswith("complaint."):
        return "BJB-2026-000001", {"before": {"status": "diterima"}, "after": {"status": "diproses"},
                                   "note": "Sudah dicek"}
    return "user:3", {}


def test_the_samples_are_actions_the_code_records() -> None:
    assert set(SAMPLES) <= set(audit_actions())


@pytest.mark.parametrize("loc", LOCALES)
@pytest.mark.parametrize("action", audit_actions())
def test_every_action_reads_in_words(action: str, loc: str, caplog: pytest.LogCaptureFixture) -> None:
    target, recorded = _sample(action)
    details = dict(recorded)
    before, after = details.pop("before", None), details.pop("after", None)
    e = Entry(datetime(2026, 11, 23, 2, tzinfo=UTC), "user:1", 1, None, action, target, before, after, details)
    with caplog.at_level(logging.ERROR, logger="handlers.i18n"):
        text = "\n".join([words.action_label(loc, action), words.target_text(loc, target),
                          words.actor_text(loc, e.actor_label, None), *words.lines(loc, e, TZ)])
    assert not [r for r in caplog.records if "missing translation" in r.getMessage()], text
    assert action not in text and not KEY.search(text), text
    assert not SNAKE.search(text), text  # jf_ahli_pertama, tidak_lulus, reminders_cancelled…
    assert "{" not in text and "}" not in text and "—:" not in text, text
    if "audience" in details:
        assert ": —" not in text, text
    for expected in READS.get((action, loc), []):
        assert expected in text, text
