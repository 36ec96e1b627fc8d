"""Settings of the action server, read from the environment when asked (never at import).

``CARE_TEAM_PHONE``: the care team's after-hours number, shown in urgent replies (as a ``tel:``
link in the widget). ``CARE_TEAM_PHONE_LABEL``: what to call it (default "Your child's care team
(after hours)"). Without a number, urgent replies ask families to use the number their care team
gave them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_CARE_TEAM_LABEL = "Your child's care team (after hours)"
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,30}$")


class SettingsError(ValueError):
    """A setting has a value the server cannot use; the message names the variable."""


@dataclass(frozen=True)
class CareTeamContact:
    label: str
    phone: str | None

    @property
    def tel(self) -> str | None:
        """The number as a ``tel:`` URI path: digits and a leading +."""
        if not self.phone:
            return None
        return ("+" if self.phone.startswith("+") else "") + re.sub(r"\D", "", self.phone)


def care_team_contact(env: Mapping[str, str] | None = None) -> CareTeamContact:
    """The care team's after-hours contact from ``CARE_TEAM_PHONE`` / ``CARE_TEAM_PHONE_LABEL``."""
    env = os.environ if env is None else env
    phone = env.get("CARE_TEAM_PHONE", "").strip() or None
    if phone is not None and not _PHONE.match(phone):
        raise SettingsError(f"CARE_TEAM_PHONE={phone!r} is not a phone number (digits, spaces, + ( ) . - only)")
    label = env.get("CARE_TEAM_PHONE_LABEL", "").strip() or DEFAULT_CARE_TEAM_LABEL
    return CareTeamContact(label, phone)
