"""Every button of the open selection. Ids are hints: the services re-check whose they are."""

from __future__ import annotations

from handlers.callbacks import Callback


class VacList(Callback, prefix="vac:l"):
    page: int = 0


class VacView(Callback, prefix="vac:v"):
    vacancy_id: int


class VacApply(Callback, prefix="vac:a"):
    vacancy_id: int


class VacApplyYes(Callback, prefix="vac:ac"):
    vacancy_id: int


class VacDocs(Callback, prefix="vac:d"):
    application_id: int


class VacDocItem(Callback, prefix="vac:di"):
    application_id: int
    index: int  # position in the vacancy's checklist (HR's codes are not button-safe)


class VacSubmit(Callback, prefix="vac:s"):
    application_id: int


class VacTrack(Callback, prefix="vac:t"):
    application_id: int


class VacWithdraw(Callback, prefix="vac:w"):
    application_id: int


class VacWithdrawYes(Callback, prefix="vac:wc"):
    application_id: int


class VacMine(Callback, prefix="vac:m"):
    pass


class VacAnnounce(Callback, prefix="vac:an"):
    stage_id: int


class VacFix(Callback, prefix="vac:fx"):
    """Send a replacement for a file HR rejected (perbaikan berkas): from the notice or /lamaranku."""

    document_id: int
