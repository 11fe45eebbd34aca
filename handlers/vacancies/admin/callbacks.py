"""HR's buttons for the open selection ("vaa:…"). Ids are hints: services/vacancies re-checks the
role and reads each row's vacancy from the database, never from the button."""

from __future__ import annotations

from handlers.callbacks import Callback


class VaaButtons(Callback, prefix="vaa"):
    """The family of every selection-admin button ("vaa:…"): what router.restrict gates, not a button."""


class VaaList(Callback, prefix="vaa:l"):
    page: int = 0


class VaaCard(Callback, prefix="vaa:c"):
    vacancy_id: int


class VaaNew(Callback, prefix="vaa:n"):
    pass


class VaaOpt(Callback, prefix="vaa:o"):
    """A picked option of the create flow's current step (`step`: its position in the flow)."""

    step: int
    index: int


class VaaEdit(Callback, prefix="vaa:e"):
    step: int  # the step to open from the summary


class VaaSave(Callback, prefix="vaa:s"):
    pass


class VaaEditDraft(Callback, prefix="vaa:ed"):
    vacancy_id: int


class VaaPublish(Callback, prefix="vaa:p"):
    vacancy_id: int


class VaaPublishYes(Callback, prefix="vaa:py"):
    vacancy_id: int


class VaaApplicants(Callback, prefix="vaa:a"):
    vacancy_id: int
    page: int = 0


class VaaApplicant(Callback, prefix="vaa:ap"):
    application_id: int


class VaaOpen(Callback, prefix="vaa:f"):
    document_id: int


class VaaAccept(Callback, prefix="vaa:da"):
    document_id: int


class VaaReject(Callback, prefix="vaa:dr"):
    document_id: int


class VaaStages(Callback, prefix="vaa:st"):
    vacancy_id: int


class VaaStage(Callback, prefix="vaa:sg"):
    stage_id: int
    page: int = 0


class VaaGrade(Callback, prefix="vaa:g"):
    stage_id: int
    application_id: int


class VaaGradeSet(Callback, prefix="vaa:gs"):
    stage_id: int
    application_id: int
    passed: bool  # lulus, or tidak lulus


class VaaNoScore(Callback, prefix="vaa:ns"):
    pass


class VaaStagePublish(Callback, prefix="vaa:sp"):
    stage_id: int


class VaaStagePublishYes(Callback, prefix="vaa:spy"):
    stage_id: int


class VaaExport(Callback, prefix="vaa:x"):
    vacancy_id: int
