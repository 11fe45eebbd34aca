"""What a filing has gathered so far, as saved in the chat's durable state between updates.

Before this dataclass the draft was a dict with short keys ("d", "desc", "lat"…). People may
have such a draft open when the new code starts, so `load` reads that shape once: it renames
the keys in place and the next save writes the new shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.chat import Chat
from handlers.flow import EDITING
from services.complaints.dto import Draft, Photo

# Kinds whose photos and place are one optional step; a complaint asks for each in turn.
ONE_STEP_EXTRAS = ("aspirasi", "informasi")


@dataclass(frozen=True)
class FilingDraft:
    token: str = ""  # every button of this draft carries it: another draft's buttons are stale
    kind: str = "pengaduan"
    description: str = ""
    told: bool = False  # the description was said in passing ("mau lapor …"): more text adds to it
    description_start: str = ""  # words too short to be the description, kept as its beginning
    photos: list[list[str]] = field(default_factory=list)  # [kind, file_id] pairs, in order sent
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    agency_id: int | None = None  # None: "not sure", BKPSDM routes it
    agency_name: str | None = None
    privacy: str = "normal"
    duplicates_ok: bool = False  # "send anyway" was pressed for the current words and agency

    @property
    def one_step_extras(self) -> bool:
        return self.kind in ONE_STEP_EXTRAS

    @property
    def has_place(self) -> bool:
        return bool(self.address) or self.latitude is not None

    def for_service(self) -> Draft:
        return Draft(kind=self.kind, description=self.description,
                     photos=tuple(Photo(k, f) for k, f in self.photos),
                     latitude=self.latitude, longitude=self.longitude, address=self.address,
                     agency_id=self.agency_id, privacy=self.privacy)


@dataclass(frozen=True)
class Filed:
    """Left behind once a draft became a report: a second press of its "send" answers with it."""

    filed_draft: str = ""
    filed_report: int = 0


# The dict keys of the draft before it was typed, and the field each one became.
OLD_KEYS = {"d": "token", "desc": "description", "desc_start": "description_start", "lat": "latitude",
            "lon": "longitude", "addr": "address", "agency": "agency_id", "dup_ok": "duplicates_ok",
            "edit": EDITING}


def load(chat: Chat) -> FilingDraft:
    """The open draft; one saved in the old dict shape is upgraded first (the keys only)."""
    if OLD_KEYS.keys() & chat.data.keys():
        chat.data = {OLD_KEYS.get(k, k): v for k, v in chat.data.items()}
    return chat.load(FilingDraft)


def filed(chat: Chat) -> Filed:
    """Which report the last draft became, if the state still says so (old shape: "filed": [token, id])."""
    old = chat.data.get("filed")
    if isinstance(old, list) and len(old) == 2 and isinstance(old[0], str) and type(old[1]) is int:
        return Filed(old[0], old[1])
    done = chat.load(Filed)
    if not isinstance(done.filed_draft, str) or type(done.filed_report) is not int:
        return Filed()
    return done
