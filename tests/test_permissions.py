"""Roles are enforced in the service layer: calling a service directly is refused just the same."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from counter_app.db.models import AuditEntry
from counter_app.domain.errors import PermissionDeniedError
from counter_app.domain.roles import Role
from counter_app.services.actor import Actor
from tests.conftest import PASSWORD, Centre

Operation = Callable[[Centre, Actor], object]

# Every protected operation, and the roles that must be refused.
PROTECTED: dict[str, tuple[Operation, set[Role]]] = {
    "add service area": (
        lambda c, a: c.app.catalogue.add_area(a, "C", "Xây dựng"),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "update service area": (
        lambda c, a: c.app.catalogue.update_area(a, "A", name="Tư pháp"),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "add counter": (
        lambda c, a: c.app.catalogue.add_counter(a, "09", ["A"]),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "change counter services": (
        lambda c, a: c.app.catalogue.set_counter_services(a, "01", ["B"]),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "add user": (
        lambda c, a: c.app.users.add(a, "moi", Role.ADMIN, PASSWORD),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "reset password": (
        lambda c, a: c.app.users.reset_password(a, "minh", "Tamthoi2026"),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "disable user": (
        lambda c, a: c.app.users.set_active(a, "minh", False),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "list users": (
        lambda c, a: c.app.users.list(a),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "change setting": (
        lambda c, a: c.app.settings.set(a, "no_show_after_recalls", 1),
        {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY},
    ),
    "read audit": (lambda c, a: c.app.audit.entries(a), {Role.OFFICER, Role.KIOSK, Role.DISPLAY}),
    "issue ticket": (lambda c, a: c.app.queue.issue(a, "A"), {Role.DISPLAY}),
    "call next": (lambda c, a: c.app.queue.call_next(a, "02"), {Role.OFFICER, Role.KIOSK, Role.DISPLAY}),
    "pause counter": (lambda c, a: c.app.counters.pause(a, "02"), {Role.OFFICER, Role.KIOSK, Role.DISPLAY}),
    "open counter for someone": (
        lambda c, a: c.app.counters.open(a, "03", "minh"),
        {Role.OFFICER, Role.KIOSK, Role.DISPLAY},
    ),
    "cancel ticket": (lambda c, a: c.app.queue.cancel(a, "A002"), {Role.KIOSK, Role.DISPLAY}),
    "requeue ticket": (lambda c, a: c.app.queue.requeue(a, "A001"), {Role.KIOSK, Role.DISPLAY}),
    "view queue": (lambda c, a: c.app.state.snapshot(a), set()),
}


def actor_for(centre: Centre, role: Role) -> Actor:
    # "lan" is an officer who did NOT open counter 02 (minh did).
    return {
        Role.ADMIN: centre.admin,
        Role.SUPERVISOR: centre.supervisor,
        Role.OFFICER: centre.lan,
        Role.KIOSK: centre.kiosk,
        Role.DISPLAY: centre.display,
    }[role]


def audit_rows(centre: Centre) -> int:
    with centre.app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize("operation", sorted(PROTECTED))
@pytest.mark.parametrize("role", list(Role))
def test_protected_operations(centre: Centre, operation: str, role: Role) -> None:
    run, refused = PROTECTED[operation]
    centre.app.catalogue.add_counter(Actor.system(), "03", ["A"])  # closed
    queue = centre.app.queue
    queue.issue(centre.kiosk, "A")  # A001: called at 01, recalled twice, marked absent
    queue.issue(centre.kiosk, "A")  # A002: waiting
    queue.call_next(centre.lan, "01")
    queue.recall(centre.lan, "01")
    queue.recall(centre.lan, "01")
    queue.no_show(centre.lan, "01")
    before = audit_rows(centre)
    if role in refused:
        with pytest.raises(PermissionDeniedError):
            run(centre, actor_for(centre, role))
        assert audit_rows(centre) == before, "a refused operation must write nothing"
    else:
        run(centre, actor_for(centre, role))


def test_permission_message_is_vietnamese_and_names_the_account(centre: Centre) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        centre.app.catalogue.add_area(centre.lan, "C", "Xây dựng")
    assert "lan" in str(refused.value)
    assert "không có quyền" in str(refused.value)
