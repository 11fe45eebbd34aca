"""Issue 15 for imports: a row limit stated up front and enforced while streaming, a progress
message that moves and ends as the result, a Batal that really stops the work, and damaged
workbooks refused in words (never a Python exception's name). HR drives the chat (harness)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from db.models import AuditLog, Employee
from db.models.imports import StagedImport
from handlers.kit import Kind
from tests.imports_helpers import HEADER, employees_csv, employees_xlsx, nip, snapshot

HR, CITIZEN, ASN = 700003, 700001, 700002
EXCEPTION_NAMES = ("BadZipFile", "KeyError", "Error", "Exception", "zipfile", "Traceback")


async def _count(app, model) -> int:  # noqa: ANN001
    async with app.db.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(model))).scalar_one()


def _xlsx(n: int, *, write_only: bool) -> bytes:
    """n employee rows; openpyxl's normal writer states <dimension>, its write_only one does not."""
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    ws.append(HEADER.split(","))
    for i in range(n):
        ws.append([nip(i), f"Pegawai {i}", f"0812{i:06d}", "DINKES", "III/a", "Staf", "PNS"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def test_the_limit_is_stated_first_and_a_bigger_file_is_refused_before_its_rows_are_read(
        app, person, channel, monkeypatch):
    import openpyxl

    monkeypatch.setattr(app.settings, "import_max_rows", 5)
    hr = person(HR, "Ahmad")
    before = await snapshot(app.db)
    await hr.send_document("pegawai.csv", employees_csv(5))  # exactly the limit: fine
    first = next(s for s in channel.history if "pegawai.csv" in s.text)
    assert "Paling banyak 5 baris data per berkas" in first.text and first.labels() == ["✖️ Batal"]
    assert "Baru: <b>5</b>" in hr.last_text()
    await hr.press("✖️ Batal")

    # Neither workbook is even opened by openpyxl: the sheet's <dimension>, or its <row> tags, say enough.
    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("openpyxl opened a file already known to be too big")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    for name, content in (("dimensi.xlsx", _xlsx(6, write_only=False)), ("aliran.xlsx", _xlsx(6, write_only=True))):
        await hr.send_document(name, content)
        assert "berisi lebih dari 5 baris data" in hr.last_text(), hr.last_text()
    await hr.send_document("pegawai.csv", employees_csv(6))  # a CSV: refused as the reader passes row 5
    assert "berisi lebih dari 5 baris data" in hr.last_text()
    assert await snapshot(app.db) == before and await _count(app, StagedImport) == 0


async def test_english_states_the_limit_too(app, person, channel):
    hr = person(HR, "Ahmad", language_code="en")
    await hr.send_document("staff.csv", employees_csv(1))
    assert any("At most 50.000 data rows per file" in s.text for s in channel.history)


async def test_progress_counts_rows_while_reading_and_ends_as_the_plan(app, person, channel, monkeypatch):
    from handlers.imports import flow
    from services.imports import reading

    monkeypatch.setattr(flow, "EDIT_EVERY", 0.0)
    monkeypatch.setattr(reading, "CHUNK", 100)
    hr = person(HR, "Ahmad")
    await hr.send_document("pegawai.csv", employees_csv(450))
    [msg] = [s for s in hr.messages()]  # one message all along
    texts = [s.text for s in channel.history if s.message_id == msg.message_id]
    assert any("100 baris terbaca (batas 50.000)" in t for t in texts), texts
    assert any("400 baris terbaca" in t for t in texts), texts
    assert "Uji coba impor data pegawai" in msg.text and "Baru: <b>450</b>" in msg.text
    assert hr.last_labels() == ["✅ Impor", "✖️ Batal"]


def _press_when(app, hr, channel, marker: str, pressed: list[str]) -> None:  # noqa: ANN001
    """Press the Batal of the progress message the moment it shows `marker` (the work is running)."""
    send = channel.send

    async def watching(chat_id, reply, *, edit_message_id=None):  # noqa: ANN001, ANN202
        mid = await send(chat_id, reply, edit_message_id=edit_message_id)
        stop = [b.data for row in reply.buttons for b in row if (b.data or "").startswith("imp:x:")]
        if not pressed and marker in reply.text and stop:
            pressed.append(stop[0])
            await app.handle(hr._inc(Kind.CALLBACK, text=stop[0], callback_id="cbstop",
                                     message_id=edit_message_id or mid))
        return mid

    channel.send = watching


async def test_batal_while_reading_stops_and_nothing_is_staged_or_imported(app, person, channel, monkeypatch):
    from handlers.imports import flow
    from services.imports import reading

    monkeypatch.setattr(flow, "EDIT_EVERY", 0.0)
    monkeypatch.setattr(reading, "CHUNK", 100)
    hr = person(HR, "Ahmad")
    before, pressed = await snapshot(app.db), []
    _press_when(app, hr, channel, "baris terbaca", pressed)
    await hr.send_document("pegawai.csv", employees_csv(450))
    assert pressed
    assert "<b>pegawai.csv</b> dibatalkan; tidak ada yang disimpan" in hr.last_text() and hr.last_labels() == []
    assert len(hr.messages()) == 1  # the progress message became the answer
    assert await snapshot(app.db) == before and await _count(app, StagedImport) == 0
    await hr.press_data(pressed[0])  # Batal again, after it stopped: a stale button
    assert "sudah selesai, dibatalkan, atau kedaluwarsa" in hr.last_text()


async def test_batal_during_the_import_keeps_what_was_saved_and_says_so(app, person, channel, monkeypatch):
    from handlers.imports import flow
    from services.imports import pipeline

    monkeypatch.setattr(flow, "EDIT_EVERY", 0.0)
    monkeypatch.setattr(pipeline, "BATCH", 100)
    hr = person(HR, "Ahmad")
    await hr.send_document("pegawai.csv", employees_csv(450))
    employees = await _count(app, Employee)
    pressed: list[str] = []
    _press_when(app, hr, channel, "Mengimpor <b>pegawai.csv</b>: 100 dari 450", pressed)
    await hr.press("✅ Impor")
    assert pressed
    done = hr.last_text()
    assert "Impor data pegawai dihentikan" in done and "100 dari 450 baris pertama sudah diproses dan tersimpan" in done
    assert "Baru: <b>100</b>" in done and hr.last_labels() == []
    assert await _count(app, Employee) == employees + 100 and await _count(app, StagedImport) == 0
    async with app.db.uow() as uow:
        [audit] = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "employees.import"))).scalars()
    assert audit.details["created"] == 100 and audit.details["stopped_after"] == 100


async def test_batal_after_the_import_finished_and_forged_or_foreign_batal(app, person, channel):
    from tests.test_authorisation import CRASH

    hr = person(HR, "Ahmad")
    await hr.send_document("pegawai.csv", employees_csv(3))
    async with app.db.uow() as uow:
        staged = (await uow.session.execute(select(StagedImport))).scalar_one()
    await hr.press("✅ Impor")
    assert "Impor data pegawai selesai" in hr.last_text()
    await hr.press_data(f"imp:x:{staged.id}")  # the finished import's Batal, from an old client
    assert "sudah selesai, dibatalkan, atau kedaluwarsa" in hr.last_text()
    for data in ("imp:x:", "imp:x:-1", "imp:x:<b>&", "imp:x:99999999999999999999"):
        replies = await hr.press_data(data)
        assert all(r.text not in CRASH for r in replies), data
    await hr.send_document("lagi.csv", employees_csv(3, start=10))
    async with app.db.uow() as uow:
        staged = (await uow.session.execute(select(StagedImport))).scalar_one()
    for uid in (CITIZEN, ASN):  # not HR: refused, and the staged import is untouched
        who = person(uid, "Orang")
        await who.press_data(f"imp:x:{staged.id}")
        assert "tidak memiliki akses" in who.last_text()
    async with app.db.uow() as uow:
        assert (await uow.imports.get(staged.id)).status == "planned"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


async def test_damaged_workbooks_are_refused_in_words_without_exception_names(app, person):
    good = employees_xlsx(3)
    broken_sheet = _zip({n: (b"<worksheet><sheetData><row><c" if n.endswith("sheet1.xml") else d)
                         for n, d in _unzip(good).items()})
    cases = {
        "acak.xlsx": bytes(range(256)) * 40,  # random bytes
        "kosong.xlsx": b"",  # empty
        "arsip.xlsx": _zip({"catatan.txt": b"bukan buku kerja"}),  # a zip, not a workbook
        "terpotong.xlsx": good[: len(good) // 2],  # cut off in transfer
        "rusak.xlsx": broken_sheet,  # a workbook whose sheet XML is damaged
    }
    hr = person(HR, "Ahmad")
    before = await snapshot(app.db)
    for name, content in cases.items():
        await hr.send_document(name, content)
        text = hr.last_text()
        assert "bukan buku kerja Excel (.xlsx) yang utuh" in text, (name, text)
        assert not any(word in text for word in EXCEPTION_NAMES), (name, text)
    await hr.send_document("panjang.csv", HEADER.encode() + b"\n" + b"x" * 200_000 + b",a,b,c,d,e,f\n")
    assert "Baris 2 berkas CSV ini tidak bisa dibaca" in hr.last_text()
    assert not any(word in hr.all_text() for word in EXCEPTION_NAMES)
    assert await snapshot(app.db) == before and await _count(app, StagedImport) == 0


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {n: z.read(n) for n in z.namelist()}
