"""Eligibility and file rules of the open selection, at their edges (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from services.civil_service import JabatanKind, Predikat, record
from services.errors import InvalidInput
from services.vacancies.rules import (
    MAX_FILE_BYTES,
    DocumentItem,
    Requirements,
    check,
    check_file,
    default_stages,
)

SITI = record(1, "199001052015032002", 2, "III/b", "jf_ahli_pertama", "PNS", None, None)  # born 5 Jan 1990, TMT 3/2015
NUR = record(2, "199512202023212004", 3, None, "jf_ahli_pertama", "PPPK", date(1995, 12, 20), date(2023, 3, 1))
CLOSE = date(2026, 11, 30)


def rules(**kw: object) -> Requirements:
    return Requirements.from_data(kw)


def test_exactly_the_minimum_golongan_is_met_one_below_is_not() -> None:
    assert check(SITI, rules(min_golongan="III/b"), CLOSE, {}) == []
    [u] = check(SITI, rules(min_golongan="III/c"), CLOSE, {})
    assert (u.rule, u.params) == ("golongan", {"have": "III/b", "need": "III/c"})


def test_pppk_without_a_golongan_meets_no_minimum() -> None:
    [u] = check(NUR, rules(min_golongan="I/a"), CLOSE, {})
    assert u.params["have"] is None


def test_age_is_counted_on_the_closing_date() -> None:
    # Siti turns 37 on 5 Jan 2027: on 4 Jan 2027 she is still 36.
    assert check(SITI, rules(max_age=36), date(2027, 1, 4), {}) == []
    [u] = check(SITI, rules(max_age=36), date(2027, 1, 5), {})
    assert (u.rule, u.params) == ("age", {"on": date(2027, 1, 5), "age": 37, "max": 36})


def test_years_of_service_from_the_tmt_on_the_closing_date() -> None:
    # TMT 1 Mar 2015: eleven whole years on 1 Mar 2026, ten on the day before.
    assert check(SITI, rules(min_service_years=11), date(2026, 3, 1), {}) == []
    [u] = check(SITI, rules(min_service_years=11), date(2026, 2, 28), {})
    assert (u.rule, u.params["years"], u.params["min"]) == ("service", 10, 11)


def test_jabatan_kind_must_be_one_of_the_listed() -> None:
    assert check(SITI, rules(jabatan_kinds=["administrator", "jf_ahli_pertama"]), CLOSE, {}) == []
    [u] = check(SITI, rules(jabatan_kinds=["administrator", "jf_ahli_madya"]), CLOSE, {})
    assert u.rule == "jabatan" and u.params["have"] is JabatanKind.JF_AHLI_PERTAMA


def test_no_appraisal_on_record_is_an_unmet_predikat_rule() -> None:
    [u] = check(SITI, rules(min_predikat="baik", predikat_years=2), CLOSE, {})
    assert u.rule == "predikat_none"


def test_predikat_over_the_last_years_from_a_history() -> None:
    req = rules(min_predikat="baik", predikat_years=2)
    good = {2025: Predikat.SANGAT_BAIK, 2024: Predikat.BAIK, 2023: Predikat.SANGAT_KURANG}  # 2023 is not counted
    assert check(SITI, req, CLOSE, good) == []
    low = check(SITI, req, CLOSE, {2025: Predikat.BAIK, 2024: Predikat.BUTUH_PERBAIKAN})
    assert [(u.rule, u.params["year"]) for u in low] == [("predikat_low", 2024)]
    missing = check(SITI, req, CLOSE, {2025: Predikat.BAIK})
    assert [(u.rule, u.params["year"]) for u in missing] == [("predikat_missing", 2024)]


def test_every_unmet_rule_is_listed() -> None:
    jpt = rules(min_golongan="IV/a", min_predikat="baik", predikat_years=2, jabatan_kinds=["administrator"],
                max_age=30, min_service_years=15)
    assert [u.rule for u in check(SITI, jpt, CLOSE, {})] == ["golongan", "predikat_none", "jabatan", "age",
                                                              "service"]


def test_pppk_without_dates_on_record() -> None:
    bare = record(3, "199512202023212004", 3, None, None, "PPPK", None, None)
    assert [u.rule for u in check(bare, rules(max_age=56, min_service_years=1), CLOSE, {})] == [
        "age_unknown", "service_unknown"]


PDF = DocumentItem("lamaran", "Surat lamaran", ("pdf",))
PHOTO = DocumentItem("foto", "Pas foto", ("image",))


def test_files_by_type_and_size() -> None:
    assert check_file(PDF, is_photo=False, name="a.pdf", mime="application/pdf", size=MAX_FILE_BYTES) == "pdf"
    assert check_file(PDF, is_photo=False, name="a.PDF", mime="application/octet-stream", size=10) == "pdf"
    assert check_file(PHOTO, is_photo=True, name=None, mime=None, size=None) == "image"
    assert check_file(PHOTO, is_photo=False, name="f.png", mime="image/png", size=10) == "image"
    with pytest.raises(InvalidInput) as e:
        check_file(PDF, is_photo=False, name="a.pdf", mime="application/pdf", size=MAX_FILE_BYTES + 1)
    assert e.value.code == "vac.err.file_too_big" and e.value.params["size_mb"] == 21
    for name, mime in (("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                       ("a.pdf", "image/jpeg"), ("virus.exe", "application/octet-stream"), (None, None)):
        with pytest.raises(InvalidInput, match="vac.err.file_type"):
            check_file(PDF, is_photo=False, name=name, mime=mime, size=10)
    with pytest.raises(InvalidInput, match="vac.err.file_type"):
        check_file(PHOTO, is_photo=False, name="a.pdf", mime="application/pdf", size=10)


def test_stage_lists_are_data_with_the_jpt_default() -> None:
    assert [k for k, _ in default_stages("jpt")] == ["registration", "administration", "competency", "paper",
                                                     "interview", "track_record", "health", "shortlist"]
    assert len(default_stages("jf")) < 8


def test_requirements_round_trip_and_refuse_nonsense() -> None:
    req = rules(min_golongan="IV/a", min_predikat="baik", predikat_years=2, jabatan_kinds=["administrator"],
                max_age=56, min_service_years=5)
    assert Requirements.from_data(req.to_data()) == req
    with pytest.raises(ValueError):
        rules(min_golongan="V/z")
