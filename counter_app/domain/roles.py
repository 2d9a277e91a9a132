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
    MANAGE_PROCEDURES = "manage_procedures"
    MANAGE_CALENDAR = "manage_calendar"
    RECEIVE_DOSSIER = "receive_dossier"  # intake, supplement, refusal at the counter
    PROCESS_DOSSIER = "process_dossier"  # transfer, result, return, withdrawal
    RECORD_APOLOGY = "record_apology"  # move the appointment once (Mẫu 04): a supervisor's decision
    VIEW_DOSSIER = "view_dossier"  # full personal data, search, due lists
    LOOKUP_DOSSIER = "lookup_dossier"  # status and appointment only, name masked (the kiosk)


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
    Permission.MANAGE_PROCEDURES: _ADMIN,
    Permission.MANAGE_CALENDAR: _ADMIN,
    Permission.RECEIVE_DOSSIER: _STAFF,
    Permission.PROCESS_DOSSIER: _STAFF,
    Permission.RECORD_APOLOGY: _MANAGERS,
    Permission.VIEW_DOSSIER: _STAFF,
    Permission.LOOKUP_DOSSIER: _STAFF | {Role.KIOSK},
}


def allows(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]
