"""Who is acting. Every service call names its actor; permissions are checked against its role."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.domain.errors import PermissionDeniedError
from counter_app.domain.roles import Permission, Role, allows
from counter_app.i18n import _


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """The local console (CLI run by whoever holds the database credentials) acts as administrator."""
        return cls(user_id=None, username=name, role=Role.ADMIN)

    @property
    def label(self) -> str:
        """How events sent to central name the actor: the user id, never a person's name."""
        return str(self.user_id) if self.user_id is not None else self.username

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDeniedError(
                _("The account '{user}' ({role}) is not allowed to do this.").format(
                    user=self.username, role=role_label(self.role)
                )
            )


def role_label(role: Role) -> str:
    labels = {
        Role.OFFICER: _("officer"),
        Role.SUPERVISOR: _("supervisor"),
        Role.ADMIN: _("administrator"),
        Role.KIOSK: _("ticket kiosk"),
        Role.DISPLAY: _("waiting-area display"),
    }
    return labels[role]
