"""HR's agency buttons (prefix "opd"), with the encodings they always had ("opd:a:12").

Ids are hints: the service re-checks that the presser is HR or a superadmin.
"""

from __future__ import annotations

from handlers.callbacks import Callback


class AgencyButtons(Callback, prefix="opd"):
    """The family of every agency-admin button ("opd:…"): what router.restrict gates, not a button."""


class AgencyList(Callback, prefix="opd:l"):
    page: int = 1


class OpenAgency(Callback, prefix="opd:a"):
    agency_id: int


class RenameAgency(Callback, prefix="opd:rn"):
    agency_id: int


class EditKeywords(Callback, prefix="opd:kw"):
    agency_id: int


class Deactivate(Callback, prefix="opd:off"):
    agency_id: int


class Activate(Callback, prefix="opd:on"):
    agency_id: int


class AddAgency(Callback, prefix="opd:new"):
    pass
