"""`sapa import appraisals FILE`: the same line-level report as the other imports, NIPs masked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.cli import main
from db.models import Appraisal
from tests.test_cli import _query, env  # noqa: F401 - the CLI's seeded-database fixture

SITI = "199001052015032002"
HEADER = "nip,year,period,stage,result_rating,behaviour_rating,predikat,deadline,missing\n"


def test_import_appraisals_reports_bad_rows_masks_nips_and_is_idempotent(env, tmp_path: Path, capsys) -> None:  # noqa: F811, ANN001
    csv = tmp_path / "skp.csv"
    csv.write_text(HEADER + (
        f"{SITI},2026,S1,tindak lanjut,di atas ekspektasi,sesuai ekspektasi,Baik,,\n"
        f"{SITI},2026,Q1,tindak lanjut,di atas ekspektasi,di atas ekspektasi,Baik,,\n"  # contradicts the matrix
        "199912312020121001,2026,,pelaksanaan,,,,30/11/2026,rencana SKP belum disetujui atasan\n"
    ), encoding="utf-8")
    assert main(["import", "appraisals", str(csv)]) == 1
    out = capsys.readouterr()
    assert f"{csv}:3: predikat: Predikat «baik» tidak sesuai matriks" in out.err
    assert f"{csv}:4: nip: NIP 19991231 ****** 1 001 belum ada di data pegawai" in out.err
    assert SITI not in out.err + out.out and "199912312020121001" not in out.err + out.out
    assert out.out.strip() == "imported 1 new, updated 0, rejected 2"
    assert main(["import", "appraisals", str(csv)]) == 1
    assert capsys.readouterr().out.strip() == "imported 0 new, updated 0, unchanged 1, rejected 2"
    rows = _query(env, select(Appraisal).where(Appraisal.period.in_(["2026-S1", "2026-Q1"])))
    assert [(r.period, r.predikat) for r in rows] == [("2026-S1", "baik")]


def test_import_appraisals_without_the_required_columns(env, tmp_path: Path, capsys) -> None:  # noqa: F811, ANN001
    csv = tmp_path / "skp.csv"
    csv.write_text("nip,year\n1,2026\n", encoding="utf-8")
    assert main(["import", "appraisals", str(csv)]) == 2
    assert "period, stage" in capsys.readouterr().err
