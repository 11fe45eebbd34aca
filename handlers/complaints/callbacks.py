"""Every button of the complaints feature, as a typed callback.

The encodings are the ones the buttons always had ("cx:v:12", "cx:fb:12:not:y"), so buttons
already in people's chats keep working. A draft's buttons carry its token (`draft`): a button
of an older or finished draft is stale, never acted on.
"""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback

Kind = Literal["pengaduan", "aspirasi", "informasi"]
Privacy = Literal["normal", "anonim", "rahasia"]
Field = Literal["desc", "photos", "loc", "agency", "privacy", "kind", "extras"]
Verdict = Literal["fixed", "partly", "not"]
Action = Literal["verify", "process", "answer", "resolve", "close", "return", "reject", "merge"]


# --- filing (a draft's buttons) ----------------------------------------------------------------

class NewReport(Callback, prefix="cx:new"):
    pass


class PickKind(Callback, prefix="cx:k"):
    draft: str
    kind: Kind


class PhotosDone(Callback, prefix="cx:ph"):
    draft: str


class PhotosClear(Callback, prefix="cx:phx"):
    draft: str


class SkipPlace(Callback, prefix="cx:loc"):
    draft: str


class ExtrasDone(Callback, prefix="cx:ex"):
    draft: str


class PickAgency(Callback, prefix="cx:ag"):
    draft: str
    agency_id: int  # 0: "not sure", BKPSDM routes it


class AllAgencies(Callback, prefix="cx:agall"):
    draft: str


class PickPrivacy(Callback, prefix="cx:pv"):
    draft: str
    privacy: Privacy


class EditField(Callback, prefix="cx:ed"):
    draft: str
    field: Field


class BackToSummary(Callback, prefix="cx:back"):
    draft: str


class Send(Callback, prefix="cx:send"):
    draft: str


class SendAnyway(Callback, prefix="cx:force"):
    draft: str


class FollowInstead(Callback, prefix="cx:dupf"):
    draft: str
    report_id: int


# --- following a report ------------------------------------------------------------------------

class ViewReport(Callback, prefix="cx:v"):
    report_id: int
    refresh: Literal["r"] | None = None  # "r": update the card in place


class MyReports(Callback, prefix="cx:my"):
    page: int = 1


class ReplyTo(Callback, prefix="cx:rp"):
    report_id: int


class Feedback(Callback, prefix="cx:fb"):
    report_id: int
    verdict: Verdict
    confirm: Literal["y"] | None = None  # the press on "yes, reopen"


class Rate(Callback, prefix="cx:rt"):
    report_id: int
    stars: int


class SkipComment(Callback, prefix="cx:rcs"):
    report_id: int


class Follow(Callback, prefix="cx:fw"):
    report_id: int


class Unfollow(Callback, prefix="cx:uf"):
    report_id: int


class EraseAsk(Callback, prefix="cx:er"):
    pass


class EraseConfirm(Callback, prefix="cx:erase"):
    answer: Literal["yes"]


# --- the agencies' desk ------------------------------------------------------------------------

OpenStatus = Literal["diterima", "diverifikasi", "didisposisikan", "diproses", "dijawab", "selesai"]


class DeskButtons(Callback, prefix="cxo"):
    """The family of every desk button ("cxo:…"): what router.restrict gates, not a button."""


class Queue(Callback, prefix="cxo:q"):
    page: int = 1
    status: OpenStatus | None = None  # the filters travel with the page buttons
    kind: Kind | None = None


class QueueFilters(Callback, prefix="cxo:qf"):
    """The filter picker, opened from the queue with its current filters."""

    status: OpenStatus | None = None
    kind: Kind | None = None


class OpenCard(Callback, prefix="cxo:o"):
    report_id: int
    refresh: Literal["np"] | None = None  # "np": photos were shown already


class ChooseAction(Callback, prefix="cxo:a"):
    report_id: int
    action: Action


class NoNote(Callback, prefix="cxo:nn"):
    report_id: int
    action: Action


class RejectNotAuthority(Callback, prefix="cxo:rj"):
    report_id: int


class SendAnswer(Callback, prefix="cxo:snd"):
    report_id: int


class EditAnswer(Callback, prefix="cxo:ed"):
    report_id: int


class DropAnswer(Callback, prefix="cxo:ab"):
    report_id: int


class ChooseAgency(Callback, prefix="cxo:r"):
    report_id: int


class RouteTo(Callback, prefix="cxo:to"):
    report_id: int
    agency_id: int


class ClaimReport(Callback, prefix="cxo:cl"):
    report_id: int
    take_over: Literal["y"] | None = None  # the second press: yes, take it from a colleague


class ReleaseReport(Callback, prefix="cxo:rl"):
    report_id: int


class AskInfo(Callback, prefix="cxo:ask"):
    report_id: int


class ChooseForward(Callback, prefix="cxo:fw"):
    report_id: int


class ForwardTo(Callback, prefix="cxo:fwt"):
    report_id: int
    agency_id: int
