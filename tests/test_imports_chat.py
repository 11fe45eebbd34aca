"""Spreadsheet imports in the chat: dry run, confirm, re-import, refusals, who may."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.sandbox.html_check import check_html
from db.models import AuditLog, Employee
from db.models.imports import StagedImport
from tests.imports_helpers import employees_csv, employees_xlsx, nip, snapshot

HR, SUPERADMIN, CITIZEN, ASN, OFFICER = 700003, 900001, 700001, 700002, 700004


async def _count(app, model) -> int:  # noqa: ANN001
    async with app.db.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_hr_sees_a_dry_run_then_confirms_and_a_reimport_changes_nothing(app, person):
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    before = await snapshot(app.db)
    bad = f"{nip(900)},,0812,DINKES,III/a,Staf,PNS\n{nip(901)},Budi,0812,NOPE,III/a,Staf,PNS\n"
    await hr.send_document("pegawai.csv", employees_csv(3, extra=bad))
    plan = hr.last_text()
    assert "Uji coba impor data pegawai" in plan and "5 baris" in plan
    assert "Baru: <b>3</b>" in plan and "Ditolak: <b>2</b>" in plan
    assert "baris 5, kolom name: Tidak boleh kosong." in plan
    assert "baris 6, kolom agency: OPD «NOPE» tidak dikenal" in plan
    assert hr.last_labels() == ["✅ Impor", "✖️ Batal"]
    assert await snapshot(app.db) == before  # the dry run wrote nothing
    await hr.press("✅ Impor")
    assert "Impor data pegawai selesai" in hr.last_text() and "Baru: <b>3</b>" in hr.last_text()
    async with app.db.uow() as uow:
        got = await uow.employees.by_nips([nip(0), nip(1), nip(2), nip(900)])
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "employees.import"))).scalars()
        audit = list(audit)
    assert sorted(got) == sorted([nip(0), nip(1), nip(2)])
    assert len(audit) == 1 and audit[0].actor_user_id is not None
    assert audit[0].details["created"] == 3 and audit[0].details["errors"] == 2
    assert audit[0].target == "pegawai.csv"
    assert await _count(app, StagedImport) == 0
    # The same file again: all unchanged, no button, nothing written (not even updated_at).
    after = await snapshot(app.db)
    await hr.send_document("pegawai.csv", employees_csv(3, extra=bad))
    assert "Tetap: <b>3</b>" in hr.last_text() and "Baru: <b>0</b>" in hr.last_text()
    assert "Tidak ada yang perlu diimpor" in hr.last_text() and hr.last_labels() == []
    assert await snapshot(app.db) == after
    assert await _count(app, StagedImport) == 0


async def test_cancel_imports_nothing_and_the_button_cannot_be_pressed_twice(app, person):
    hr = person(HR, "Ahmad")
    before = await snapshot(app.db)
    await hr.send_document("pegawai.xlsx", employees_xlsx(4))
    assert "Baru: <b>4</b>" in hr.last_text()
    confirm = next(b.data for row in hr.messages()[-1].reply.buttons for b in row if "Impor" in b.text)
    await hr.press("✖️ Batal")
    assert "dibatalkan" in hr.last_text()
    assert await snapshot(app.db) == before and await _count(app, StagedImport) == 0
    await hr.press_data(confirm)  # the old message's other button, pressed from a stale client
    assert "sudah selesai, dibatalkan, atau kedaluwarsa" in hr.last_text()
    assert await snapshot(app.db) == before


async def test_a_nip_stored_as_a_number_is_rejected_with_its_column(app, person):
    hr = person(SUPERADMIN, "Admin")
    await hr.send_document("pegawai.xlsx", employees_xlsx(3, as_number=True))
    assert "Baru: <b>2</b>" in hr.last_text() and "baris 2, kolom nip" in hr.last_text()
    assert "NIP tersimpan sebagai angka dan kehilangan digit terakhirnya; format kolom NIP sebagai Teks" \
        in hr.last_text()


async def test_malformed_files_are_refused_whole(app, person):
    hr = person(HR, "Ahmad")
    before = await snapshot(app.db)
    cases = [
        ("pegawai.csv", b"nip,name\n1,2\n", "Berkas <b>pegawai.csv</b> berisi data apa"),  # fits no kind: asked
        ("foto.jpg", b"\xff\xd8", "bukan lembar kerja"),
        ("lama.xls", b"\xd0\xcf", ".xls lama"),
        ("acak.xlsx", bytes(range(256)) * 40, "bukan buku kerja Excel (.xlsx) yang utuh"),
        ("kosong.csv", (employees_csv(0)), "0 baris data"),
        ("ganda.csv", b"nip,nip,name,phone,agency,golongan,jabatan,employment\n", "Kolom ganda"),
    ]
    for name, content, expected in cases:
        await hr.send_document(name, content)
        assert expected in hr.last_text(), (name, hr.last_text())
    extra = employees_csv(2).replace(b"employment\n", b"employment,catatan\n", 1)
    await hr.send_document("lebih.csv", extra)
    await hr.press("data pegawai")  # the header fits no kind: HR names it, the column is refused
    assert "Kolom tak dikenal: catatan" in hr.last_text()
    assert await snapshot(app.db) == before


async def test_a_50_mb_file_is_refused_before_it_is_downloaded(app, person, channel):
    hr = person(HR, "Ahmad")
    await hr.send_document("besar.xlsx", b"", size=50 * 1024 * 1024)
    assert "lebih dari 20 MB" in hr.last_text()
    assert channel.downloads == [] and await _count(app, StagedImport) == 0
    await hr.send_document("kecil.csv", employees_csv(1))  # the control: a small file is fetched
    assert len(channel.downloads) == 1


async def test_a_long_import_shows_its_progress_and_other_kinds_go_through_the_same_pipeline(
        app, person, channel, monkeypatch):
    from handlers.imports import flow
    from tests.test_training_import import HEADER, ROWS

    monkeypatch.setattr(flow, "EDIT_EVERY", 0.0)
    hr = person(HR, "Ahmad")
    await hr.send_document("pegawai.csv", employees_csv(2500))
    plan = hr.messages()[-1]
    await hr.press("✅ Impor")
    edits = [s.text for s in channel.history if s.edited and s.message_id == plan.message_id]
    assert any("Mengimpor <b>pegawai.csv</b>:" in t and "dari 2.500 baris" in t for t in edits), edits
    # The progress message ends as the result, not at "100%".
    assert "Baru: <b>2.500</b>" in hr.last_text() and hr.messages()[-1].message_id == plan.message_id
    await hr.send_document("pelatihan.csv", (HEADER + ROWS).encode())  # recognised from the header
    assert "Uji coba impor pelatihan" in hr.last_text() and "Baru: <b>2</b>" in hr.last_text()
    assert "Ditolak: <b>8</b>" in hr.last_text() and "baris 4, kolom code" in hr.last_text()
    await hr.press("✅ Impor")
    assert "Impor pelatihan selesai" in hr.last_text()
    await hr.send_document("salah.csv", b"nip,nama\n1,2\n", caption="data pegawai")  # the caption names it
    assert "Kolom wajib tidak ada: name, phone" in hr.last_text()
    await hr.send_document("<b>&\U0001F642.csv", b"\xff\xfe\x00bad")
    assert "&lt;b&gt;&amp;\U0001F642.csv" in hr.all_text() and "<b>&\U0001F642" not in hr.all_text()
    assert "bukan teks UTF-8" in hr.last_text()


async def test_formulas_merged_cells_and_dates_as_text(app, person):
    import io

    from openpyxl import Workbook

    hr = person(HR, "Ahmad")
    for shape, expected in (("formula", "rumus (mis. sel B2)"), ("merged", "sel gabungan")):
        wb = Workbook()
        ws = wb.active
        ws.append("nip,name,phone,agency,golongan,jabatan,employment".split(","))
        ws.append([nip(1), "=UPPER(\"x\")" if shape == "formula" else "A", "0812", "DINKES", "III/a", "Staf", "PNS"])
        ws.append([nip(2), "B", "0812", "DINKES", "III/a", "Staf", "PNS"])
        if shape == "merged":
            ws.merge_cells("E2:E3")
        buf = io.BytesIO()
        wb.save(buf)
        await hr.send_document(f"{shape}.xlsx", buf.getvalue())
        assert expected in hr.last_text(), hr.last_text()
    text_date = employees_csv(1).replace(b"employment\n", b"employment,birth_date\n", 1).replace(
        b",PNS\n", b",PNS,12 Januari 1990\n")
    await hr.send_document("tanggal.csv", text_date)
    assert "baris 2, kolom birth_date: Harus tanggal (TTTT-BB-HH atau HH/BB/TTTT), tertulis «12 Januari 1990»" \
        in hr.last_text()


async def test_an_english_speaking_hr_reads_the_reasons_in_english(app, person):
    hr = person(HR, "Ahmad", language_code="en")
    bad = f"123,Budi,0812,DINKES,III/a,Staf,PNS\n{nip(901)},Cici,0812,NOPE,III/a,Staf,PNS\n"
    await hr.send_document("pegawai.csv", employees_csv(1, extra=bad))
    plan = hr.last_text()
    assert "Rejected rows (first 2):" in plan
    assert "• line 3, column nip: A NIP is 18 digits; this one has 3." in plan
    assert "• line 4, column agency: Unknown agency «NOPE» (write its code, name or short name)." in plan


async def test_what_a_reason_quotes_from_the_file_arrives_escaped(app, person):
    hr = person(HR, "Ahmad")
    before = await snapshot(app.db)
    bad = (f"{nip(900)},Budi,0812,<b>&\x1b🙂 {'x' * 100},III/a,Staf,PNS\n"  # markup, ESC, emoji, far too long
           f"{nip(901)},Cici,0812,DINKES,<i>,Staf,PNS\n")
    await hr.send_document("pegawai.csv", employees_csv(1, extra=bad))
    plan = hr.last_text()
    check_html(plan)  # what Telegram would accept
    assert f"• baris 3, kolom agency: OPD «&lt;b&gt;&amp;\ufffd🙂 {'x' * 53}» tidak dikenal" in plan  # 60 characters
    assert "• baris 4, kolom golongan: Golongan «&lt;i&gt;» tidak dikenal (contoh: III/c)." in plan
    assert "<b>&" not in plan and "<i>" not in plan and "\x1b" not in plan
    await hr.press("✖️ Batal")
    assert await snapshot(app.db) == before


async def test_citizens_civil_servants_and_officers_are_not_allowed(app, person):
    before = await snapshot(app.db)
    for uid in (CITIZEN, ASN, OFFICER):
        who = person(uid, "Orang")
        await who.send_document("pegawai.csv", employees_csv(2))
        assert "tidak memiliki akses" in who.last_text()
        for data in ("imp:ok:1", "imp:no:1", "imp:k:1:employees"):
            await who.press_data(data)
            assert "tidak memiliki akses" in who.last_text(), data
    after = await snapshot(app.db)
    old_audit = before.pop("audit_log")
    new_audit = [r for r in after.pop("audit_log") if r not in old_audit]
    # Nothing imported or staged; only the refusals themselves are in the audit log.
    assert after == before and await _count(app, StagedImport) == 0
    assert new_audit and all("('action', 'denied')" in r for r in new_audit)


async def test_someone_elses_staged_import_cannot_be_confirmed(app, person):
    hr = person(HR, "Ahmad")
    await hr.send_document("pegawai.csv", employees_csv(2))
    async with app.db.uow() as uow:
        staged = (await uow.session.execute(select(StagedImport))).scalar_one()
    admin = person(SUPERADMIN, "Admin")
    await admin.press_data(f"imp:ok:{staged.id}")
    assert "kedaluwarsa" in admin.last_text()
    await admin.press_data("imp:ok:<b>&")  # forged data: the stale-button answer, no crash
    assert await _count(app, Employee) == await _count(app, Employee)
    assert await _count(app, StagedImport) == 1


async def test_a_document_inside_a_flow_goes_to_that_flow(app, person):
    hr = person(HR, "Ahmad")
    await hr.say("/lapor")
    await hr.press("Pengaduan")
    await hr.send_document("data.xlsx", employees_xlsx(2), mime="application/vnd.ms-excel")
    assert "Hanya foto" in hr.last_text()
    assert await _count(app, StagedImport) == 0


async def test_control_characters_forged_kinds_and_huge_names_are_answered_cleanly(app, person):
    from tests.test_authorisation import CRASH

    hr = person(HR, "Ahmad")
    await hr.send_document("pe\x00ga\x07wai" + "x" * 5000 + ".csv", employees_csv(1))
    assert "Baru: <b>1</b>" in hr.last_text() and "\x00" not in hr.all_text()
    for data in ("imp:k:1:bogus", "imp:ok:-1", "imp:ok:99999999999999999999", "imp:no:", "imp:k:x:employees"):
        replies = await hr.press_data(data)
        assert all(r.text not in CRASH for r in replies), data
    assert all(s.text not in CRASH for s in hr.messages())
