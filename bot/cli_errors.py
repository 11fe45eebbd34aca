"""How every `sapa` command reports a refusal: the domain error in the deployment's language."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from services.errors import DomainError

if TYPE_CHECKING:  # `sapa --help` must not pay for pydantic-settings
    from services.settings import Settings


def refuse(settings: Settings, e: DomainError, subject: object = None) -> int:
    """Print `sapa: [subject: ]reason [code]` on stderr; the exit status of a refused command."""
    from handlers.i18n import t  # the catalogs load only when a command is refused

    where = f"{subject}: " if subject else ""
    print(f"sapa: {where}{t(settings.default_locale, e.code, **e.params)} [{e.code}]", file=sys.stderr)
    return 2
