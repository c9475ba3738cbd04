"""Contact coverage: for each escalation level, who is called first and who stands in.

Mirrors the `no-contact` (error) and `no-backup` (warning) rules, so the report shows the
evidence behind those findings: every contact with its channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from escalation_charts.model import Contact, Definition, Lane

__all__ = ["Coverage", "CoverageStatus", "contact_coverage", "contact_dict"]


class CoverageStatus(StrEnum):
    """How well a level is covered; the value is the JSON spelling."""

    OK = "ok"
    NO_BACKUP = "no-backup"
    NO_REACHABLE_PRIMARY = "no-reachable-primary"
    NO_PRIMARY = "no-primary"

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def level(self) -> str:
        """`ok`, `warning` or `error`, as the matching validation rule rates it."""
        if self is CoverageStatus.OK:
            return "ok"
        return "warning" if self is CoverageStatus.NO_BACKUP else "error"


_TITLES = {
    CoverageStatus.OK: "primary and backup",
    CoverageStatus.NO_BACKUP: "no backup",
    CoverageStatus.NO_REACHABLE_PRIMARY: "primary has no phone or email",
    CoverageStatus.NO_PRIMARY: "no primary",
}


@dataclass(frozen=True)
class Coverage:
    """One leveled lane's contacts, split by role, and the verdict on them."""

    lane: Lane
    primary: tuple[Contact, ...]
    backup: tuple[Contact, ...]
    status: CoverageStatus

    def to_dict(self) -> dict[str, object]:
        return {
            "lane": self.lane.id,
            "name": self.lane.name,
            "level": self.lane.level,
            "external": self.lane.external,
            "status": self.status.value,
            "primary": [contact_dict(c) for c in self.primary],
            "backup": [contact_dict(c) for c in self.backup],
        }


def contact_dict(contact: Contact) -> dict[str, object]:
    """A contact as JSON: name and every channel given (absent ones are null)."""
    return {
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "hours": contact.hours,
        "reachable": contact.reachable,
    }


def contact_coverage(definition: Definition) -> tuple[Coverage, ...]:
    """Coverage of every leveled lane, lowest level first."""
    return tuple(_coverage(lane) for lane in definition.leveled_lanes)


def _coverage(lane: Lane) -> Coverage:
    primary = lane.contacts_with_role("primary")
    backup = lane.contacts_with_role("backup")
    if not primary:
        status = CoverageStatus.NO_PRIMARY
    elif not any(c.reachable for c in primary):
        status = CoverageStatus.NO_REACHABLE_PRIMARY
    elif not backup:
        status = CoverageStatus.NO_BACKUP
    else:
        status = CoverageStatus.OK
    return Coverage(lane, primary, backup, status)
