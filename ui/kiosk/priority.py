"""The priority categories a citizen can choose at the kiosk (shared/domain/queue.md, "Tickets").

``reason`` is the Vietnamese category as the law names it and as it is stored on the ticket (the
same words whatever language the screen uses, so reports count them together); ``label`` is what
the screen says.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.i18n import _


@dataclass(frozen=True)
class PriorityChoice:
    reason: str
    label: str


def priority_choices() -> list[PriorityChoice]:
    return [
        PriorityChoice("Người cao tuổi", _("Elderly person")),
        PriorityChoice("Người khuyết tật", _("Person with a disability")),
        PriorityChoice("Phụ nữ mang thai", _("Pregnant woman")),
        PriorityChoice("Người có con nhỏ", _("Person with a small child")),
        PriorityChoice(
            "Thương binh, người có công với cách mạng", _("War invalid or person with meritorious service")
        ),
    ]
