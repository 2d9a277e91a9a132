"""Who may do what. The matrix is enforced in the service layer, never only by hiding buttons."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    KIOSK = "kiosk"  # device account of a ticket kiosk
    DISPLAY = "display"  # device account of a waiting-area display


DEVICE_ROLES = frozenset({Role.KIOSK, Role.DISPLAY})
HUMAN_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})


class Permission(enum.StrEnum):
    ISSUE_TICKET = "issue_ticket"
    VIEW_QUEUE = "view_queue"
    OPERATE_COUNTER = "operate_counter"  # open/pause/close, call, recall, serve, finish, transfer
    OPERATE_ANY_COUNTER = "operate_any_counter"  # a counter someone else opened
    CANCEL_TICKET = "cancel_ticket"
    MANAGE_CATALOGUE = "manage_catalogue"  # service areas and counters
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    MANAGE_DEVICES = "manage_devices"
    VIEW_DEVICES = "view_devices"


_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})
_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})

PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.ISSUE_TICKET: _STAFF | {Role.KIOSK},
    Permission.VIEW_QUEUE: _STAFF | {Role.KIOSK, Role.DISPLAY},
    Permission.OPERATE_COUNTER: _STAFF,
    Permission.OPERATE_ANY_COUNTER: _MANAGERS,
    Permission.CANCEL_TICKET: _STAFF,
    Permission.MANAGE_CATALOGUE: _ADMIN,
    Permission.MANAGE_USERS: _ADMIN,
    Permission.MANAGE_SETTINGS: _ADMIN,
    Permission.VIEW_AUDIT: _MANAGERS,
    Permission.MANAGE_DEVICES: _ADMIN,
    Permission.VIEW_DEVICES: _MANAGERS,
}


def allows(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]
