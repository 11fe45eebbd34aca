"""HR's side of the open selection through the router (`/kelolaseleksi`): writing a draft, bad input
at every step, editing, publishing, the applicants' files, results, announcement, correction."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from db.models import AuditLog, OutboxMessage, Vacancy, VacancyResult, VacancyStage
from tests.harness import conversation_state
from tests.test_complaints_flows import assert_valid_html
from tests.test_vacancies_flows import linked

HR, SITI, CITIZEN, OFFICER = 700003, 700002, 700001, 700004
TZ = ZoneInfo("Asia/Makassar")
FORBIDDEN = "Anda tidak memiliki akses"


def day(clock, days: int) -> str:
    return (clock().astimezone(TZ) + timedelta(days=days)).strftime("%d-%m-%Y")


async def rows(app, model, *where):
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(model).where(*where).order_by(model.id))).scalars())


async def audits(app, action: str) -> list[AuditLog]:
    return await rows(app, AuditLog, AuditLog.action == action)


async def create_draft(hr, code="JF-PUPR-2026-07", jabatan="Penata Jalan Ahli Muda") -> None:
    await hr.say("/kelolaseleksi")
    await hr.press("Buat lowongan")
    await hr.say(code)
    await hr.say(jabatan)
    await hr.press("PUPR")
    await hr.press("Jabatan fungsional")
    await hr.press("Besok")
    await hr.press("21 hari")
    await hr.press("III/b")
    await hr.say("7, 8")
    await hr.say("2")
    await hr.say("45")
    await hr.press("Minimal Baik, 2 tahun")
    await hr.say("1, 2, 6\nSurat rekomendasi kepala dinas")
    await hr.press("Pakai tahapan baku")


async def test_hr_writes_a_draft_step_by_step_and_saves_it(person, app):
    hr = person(HR, "Ahmad")
    await create_draft(hr)
    text = hr.last_text()
    assert "Periksa draf lowongan" in text and "Penata Jalan Ahli Muda" in text and "III/b" in text
    assert "Surat rekomendasi kepala dinas" in text and "Wawancara" in text
    assert (await rows(app, Vacancy))[-1].code != "JF-PUPR-2026-07"  # nothing saved before "Simpan draf"
    await hr.press("Simpan draf")
    assert "Draf tersimpan" in hr.last_text() and "draf (hanya terlihat oleh HR)" in hr.last_text()
    v = (await rows(app, Vacancy))[-1]
    assert (v.code, v.kind, v.published_at) == ("JF-PUPR-2026-07", "jf", None)
    assert v.requirements == {"min_golongan": "III/b", "min_predikat": "baik", "predikat_years": 2,
                              "jabatan_kinds": ["jf_ahli_pertama", "jf_ahli_muda"], "max_age": 45,
                              "min_service_years": 2}
    assert [d["code"] for d in v.documents] == ["lamaran", "sk_pangkat", "foto", "lain1"]
    assert v.opens_at.astimezone(TZ).strftime("%H:%M") == "00:00" and v.closes_at.astimezone(TZ).hour == 23
    stages = await rows(app, VacancyStage, VacancyStage.vacancy_id == v.id)
    assert [s.key for s in stages] == ["registration", "administration", "competency_test", "interview"]
    (audit,) = await audits(app, "vacancy.draft_created")
    assert audit.details["before"] is None and audit.details["after"]["code"] == "JF-PUPR-2026-07"
    assert await conversation_state(app, HR) == (None, {})
    assert_valid_html(hr.channel)


BAD = {  # what HR types at each step → the words of the refusal
    "code": [("<b>&", "Kode harus"), ("😀😀😀", "Kode harus"), ("AB\x00CD", "Kode harus"), ("A" * 5000, "Kode harus"),
             ("JF-DINKES-2026-01", "sudah dipakai")],
    "jabatan": [("\x00\x00\x00", "2–200"), ("x" * 5000, "2–200"), (" ", "2–200")],
    "agency": [("NOPE", "OPD tidak dikenal"), ("99999", "OPD tidak dikenal")],
    "kind": [("lurah", "jenis jabatan")],
    "opens": [("kemarin", "tidak dikenali"), ("31-02-2027", "tidak dikenali"), ("01-01-2020", "sudah lewat"),
              ("01-01-2099", "terlalu jauh"), ("😀", "tidak dikenali")],
    "closes": [("TODAY", "setelah tanggal buka"), ("SAME", "setelah tanggal buka"), ("&", "tidak dikenali")],
    "golongan": [("V/z", "Golongan tidak dikenal"), ("<b>&", "Golongan tidak dikenal")],
    "jabatan_kinds": [("99", "nomor dari daftar"), ("abc", "nomor dari daftar"), ("0", "nomor dari daftar")],
    "service": [("-1", "0–40"), ("1e9", "0–40"), ("٣", "0–40")],
    "age": [("200", "18–65"), ("17", "18–65")],
    "predikat": [("hebat 2", "baik"), ("baik 9", "baik")],
    "documents": [("99", "1–10"), ("\x00", "2–100"), ("\n".join(f"Dok {i}" for i in range(16)), "Paling banyak 15")],
    "stages": [("0", "1–4"), ("\n".join(f"Tahap {i}" for i in range(13)), "Paling banyak 12"), ("y" * 5000, "2–200")],
}
GOOD = {"code": "ADM-PUPR-2026-09", "jabatan": "Kepala Seksi <b>&</b> Jalan 🚧", "agency": "PUPR",
        "kind": "administrator", "opens": "TOMORROW", "closes": "LATER", "golongan": "III/c", "jabatan_kinds": "5",
        "service": "3", "age": "-", "predikat": "sangat baik 1", "documents": "1\nFoto lapangan <i>", "stages": "2\n4"}


async def test_every_step_refuses_bad_input_and_stays(person, app, clock):
    hr = person(HR, "Ahmad")
    await hr.say("/kelolaseleksi")
    await hr.press("Buat lowongan")
    before = len(await rows(app, Vacancy))
    values = {"TODAY": day(clock, 0), "SAME": day(clock, 1), "TOMORROW": day(clock, 1), "LATER": day(clock, 20)}
    for step, good in GOOD.items():
        for typed, words in BAD[step]:
            await hr.say(values.get(typed, typed))
            assert words in hr.last_text() and "⚠️" in hr.last_text(), (step, typed, hr.last_text()[:200])
            assert (await conversation_state(app, HR))[0] == f"vaa.{step}", step
        await hr.send_photo()  # not text
        assert "sebagai teks" in hr.last_text()
        await hr.say(values.get(good, good))
    text = hr.last_text()
    assert "Periksa draf" in text and "Kepala Seksi &lt;b&gt;&amp;&lt;/b&gt; Jalan 🚧" in text
    assert "Foto lapangan &lt;i&gt;" in text
    assert len(await rows(app, Vacancy)) == before
    await hr.press("Simpan draf")
    v = (await rows(app, Vacancy))[-1]
    assert v.jabatan == "Kepala Seksi <b>&</b> Jalan 🚧" and v.requirements["max_age"] is None
    assert v.requirements["min_predikat"] == "sangat_baik"
    assert_valid_html(hr.channel)


async def test_forged_and_stale_option_buttons(person, app):
    hr = person(HR, "Ahmad")
    await hr.say("/kelolaseleksi")
    await hr.press("Buat lowongan")
    await hr.say("JF-PUPR-2026-08")
    await hr.say("Penata")
    for data in ("vaa:o:2:99", "vaa:o:5:0", "vaa:o:x:1", "vaa:e:0", "vaa:s"):
        await hr.press_data(data)
        assert "tidak berlaku" in hr.last_text(), data
    assert (await conversation_state(app, HR))[0] == "vaa.agency"
    await hr.press_data("vaa:o:2:0")  # the first agency, picked by its real button
    assert (await conversation_state(app, HR))[0] == "vaa.kind"


async def test_editing_from_the_summary_and_a_saved_draft(person, app, clock):
    hr = person(HR, "Ahmad")
    await create_draft(hr)
    await hr.press("Jabatan")
    await hr.say("Penata Jalan Ahli Madya")
    assert "Periksa draf" in hr.last_text() and "Ahli Madya" in hr.last_text()
    await hr.press("Ditutup")
    await hr.say(day(clock, 1))  # the opening day itself
    assert "setelah tanggal buka" in hr.last_text()
    await hr.say(day(clock, 40))
    await hr.press("Simpan draf")
    v = (await rows(app, Vacancy))[-1]
    await hr.press("Ubah draf")
    assert "Mengubah draf" in hr.last_text() and "Ahli Madya" in hr.last_text()
    await hr.press("Kode")
    await hr.say("JF-DINKES-2026-01")
    assert "sudah dipakai" in hr.last_text()
    await hr.say("JF-PUPR-2026-07")  # its own code stays allowed
    await hr.press("Tahapan")
    await hr.say("Seleksi administrasi\nTes praktik lapangan")
    await hr.press("Simpan draf")
    assert len(await rows(app, Vacancy)) == len(await rows(app, Vacancy, Vacancy.id <= v.id))
    stages = await rows(app, VacancyStage, VacancyStage.vacancy_id == v.id)
    assert [(s.key, s.name) for s in stages] == [("administration", "Seleksi administrasi"),
                                                 (None, "Tes praktik lapangan")]
    (edit,) = await audits(app, "vacancy.draft_edited")
    assert edit.details["before"]["stages"][0] == ["registration", "Pengumuman dan pendaftaran"]
    assert edit.details["after"]["stages"][1] == [None, "Tes praktik lapangan"]


async def test_publishing_a_draft_once_and_what_the_asn_sees(person, app, clock):
    hr = person(HR, "Ahmad")
    await create_draft(hr)
    await hr.press("Simpan draf")
    v = (await rows(app, Vacancy))[-1]
    siti = await linked(person)
    await siti.press_data(f"vac:v:{v.id}")
    assert "tidak ditemukan" in siti.last_text()
    await hr.press("Terbitkan")
    assert "penjadwal" in hr.last_text() and "tidak dapat diubah" in hr.last_text()
    assert (await rows(app, Vacancy, Vacancy.id == v.id))[0].published_at is None
    outbox_before = len(await rows(app, OutboxMessage))
    await hr.press("Ya, terbitkan")
    assert "Lowongan diterbitkan" in hr.last_text() and "Ubah draf" not in hr.last_labels()
    assert (await rows(app, Vacancy, Vacancy.id == v.id))[0].published_at == clock()
    (audit,) = await audits(app, "vacancy.published")
    assert audit.details["before"] == {"published_at": None} and audit.target == f"vacancy:{v.id}"
    assert len(await rows(app, OutboxMessage)) == outbox_before  # the scheduler's job, not this screen's
    for data in (f"vaa:py:{v.id}", f"vaa:ed:{v.id}", f"vaa:p:{v.id}"):
        await hr.press_data(data)
        assert "sudah diterbitkan" in hr.last_text(), data
    assert len(await audits(app, "vacancy.published")) == 1
    clock.advance(days=1)
    await siti.say("/lowongan")
    assert "Penata Jalan Ahli Muda" in siti.last_text()


async def test_a_closed_draft_cannot_be_published(person, app, clock):
    hr = person(HR, "Ahmad")
    await create_draft(hr)
    await hr.press("Simpan draf")
    v = (await rows(app, Vacancy))[-1]
    clock.advance(days=40)
    await hr.press_data(f"vaa:py:{v.id}")
    assert "sudah lewat" in hr.last_text()
    assert (await rows(app, Vacancy, Vacancy.id == v.id))[0].published_at is None


async def test_wrong_roles_are_not_allowed_anywhere(person, app):
    citizen, officer = person(CITIZEN, "Rina"), person(OFFICER, "Budi")
    siti = await linked(person)
    for who in (citizen, officer, siti):
        await who.say("/start")
        await who.say("/kelolaseleksi")
        assert FORBIDDEN in who.last_text()
        for data in ("vaa:l", "vaa:c:1", "vaa:n", "vaa:ed:1", "vaa:p:1", "vaa:py:1", "vaa:a:1", "vaa:ap:1",
                     "vaa:f:1", "vaa:da:1", "vaa:dr:1", "vaa:st:1", "vaa:sg:1", "vaa:g:1:1", "vaa:gs:1:1:1",
                     "vaa:sp:1", "vaa:spy:1", "vaa:x:1"):
            await who.press_data(data)
            assert FORBIDDEN in who.last_text() or "tidak berlaku" in who.last_text(), (who.user_id, data)
            assert who.messages()[-1].reply.attachment is None
        assert (await conversation_state(app, who.user_id))[0] is None
    assert not await rows(app, AuditLog, AuditLog.action.like("vacancy.%"))
    assert not await rows(app, VacancyResult)
    await siti.say("/menu")
    assert not any("Kelola seleksi" in label for label in siti.last_labels())
