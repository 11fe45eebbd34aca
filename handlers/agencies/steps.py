"""The typed steps of HR's agency management, and what each flow keeps meanwhile.

The state names ("opd.code", "opd.new_name", "opd.name", "opd.kw") are stored in people's saved
conversations: they stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.flow import Step, Steps
from handlers.router import Chat


class NewAgency(Steps, prefix="opd"):
    """Adding an agency: its code, then its name."""

    code = Step()
    new_name = Step()


class Rename(Steps, prefix="opd"):
    """Typing an agency's new name."""

    name = Step()


class Keywords(Steps, prefix="opd"):
    """Typing an agency's routing keywords, comma separated."""

    kw = Step()


FLOWS: tuple[type[Steps], ...] = (NewAgency, Rename, Keywords)


@dataclass
class NewAgencyDraft:
    code: str = ""  # checked and normalised ("DISPERKIM") before the name is asked


@dataclass
class AgencyEdit:
    agency_id: int = 0  # the agency being renamed or given keywords


def in_agency_flow(chat: Chat) -> bool:
    return any(flow.step(chat.state) is not None for flow in FLOWS)
