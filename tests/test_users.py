"""Accounts: argon2id hashes, password rules, lock-out, admin reset, and audit without secrets."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from counter_app.db.models import AuditEntry, User
from counter_app.domain.clock import ManualClock
from counter_app.domain.errors import AuthenticationError, ConflictError, ValidationError
from counter_app.domain.roles import Role
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from tests.conftest import PASSWORD, Centre

ADMIN = Actor.system("test")


def stored_hash(app: CounterApp, username: str) -> str:
    with app.db.reading() as session:
        return str(session.scalar(select(User.password_hash).where(User.username == username)))


def test_passwords_are_stored_as_argon2id(app: CounterApp) -> None:
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD, "Nguyễn Thị Lan")
    hashed = stored_hash(app, "lan")
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    actor = app.users.authenticate("LAN", PASSWORD)
    assert (actor.username, actor.role) == ("lan", Role.OFFICER)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("ngan1", "ít nhất 8"),
        ("chiuchuchu", "chữ cái và chữ số"),
        ("12345678", "chữ cái và chữ số"),
        ("lan2026abc", "tên đăng nhập"),
    ],
)
def test_password_rules(app: CounterApp, password: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        app.users.add(ADMIN, "lan", Role.OFFICER, password)
    assert app.users.count() == 0


def test_duplicate_and_invalid_user_names(app: CounterApp) -> None:
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD)
    with pytest.raises(ConflictError):
        app.users.add(ADMIN, "Lan", Role.OFFICER, PASSWORD)
    with pytest.raises(ValidationError):
        app.users.add(ADMIN, "nguyễn lan", Role.OFFICER, PASSWORD)


def test_lockout_after_repeated_failures_and_unlock_after_the_period(
    app: CounterApp, clock: ManualClock
) -> None:
    app.settings.set(ADMIN, "max_failed_logins", 3)
    app.settings.set(ADMIN, "lockout_minutes", 10)
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD)
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="Sai tên đăng nhập hoặc mật khẩu"):
            app.users.authenticate("lan", "sai-mat-khau-1")
    with pytest.raises(AuthenticationError, match="khóa"):
        app.users.authenticate("lan", "sai-mat-khau-1")
    with pytest.raises(AuthenticationError, match="khóa"):
        app.users.authenticate("lan", PASSWORD)  # even the right password, while locked
    clock.advance(timedelta(minutes=10, seconds=1))
    assert app.users.authenticate("lan", PASSWORD).username == "lan"
    actions = [e.action for e in reversed(app.audit.entries(ADMIN, entity_type="user"))]
    assert actions == ["user.add", "user.login_failed", "user.login_failed", "user.lock"]


def test_a_successful_login_resets_the_failure_count(app: CounterApp) -> None:
    app.settings.set(ADMIN, "max_failed_logins", 2)
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD)
    with pytest.raises(AuthenticationError):
        app.users.authenticate("lan", "sai-mat-khau-1")
    app.users.authenticate("lan", PASSWORD)
    with pytest.raises(AuthenticationError, match="Sai"):
        app.users.authenticate("lan", "sai-mat-khau-1")  # one failure again, not two


def test_admin_reset_unlocks_and_forces_a_change(app: CounterApp) -> None:
    app.settings.set(ADMIN, "max_failed_logins", 1)
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD)
    with pytest.raises(AuthenticationError, match="khóa"):
        app.users.authenticate("lan", "sai-mat-khau-1")
    view = app.users.reset_password(ADMIN, "lan", "Tamthoi2026")
    assert view.must_change_password and view.locked_until is None
    officer = app.users.authenticate("lan", "Tamthoi2026")
    app.users.change_password(officer, "Tamthoi2026", "Moi2026abc")
    assert app.users.authenticate("lan", "Moi2026abc").username == "lan"
    with pytest.raises(AuthenticationError):
        app.users.change_password(officer, "Tamthoi2026", "Khac2026abc")


def test_disabled_accounts_cannot_log_in(centre: Centre) -> None:
    centre.app.users.set_active(centre.admin, "minh", False)
    with pytest.raises(AuthenticationError, match="vô hiệu"):
        centre.app.users.authenticate("minh", PASSWORD)
    with pytest.raises(ConflictError):
        centre.app.users.set_active(centre.admin, "admin", False)


def test_unknown_user_gets_the_same_message_as_a_wrong_password(app: CounterApp) -> None:
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD)
    with pytest.raises(AuthenticationError) as unknown:
        app.users.authenticate("khongco", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        app.users.authenticate("lan", "sai-mat-khau-1")
    assert str(unknown.value) == str(wrong.value)


def test_audit_never_holds_password_material(app: CounterApp) -> None:
    app.users.add(ADMIN, "lan", Role.OFFICER, PASSWORD, "Nguyễn Thị Lan")
    app.users.reset_password(ADMIN, "lan", "Tamthoi2026")
    with app.db.reading() as session:
        dumped = json.dumps(
            [(e.before, e.after) for e in session.scalars(select(AuditEntry))], ensure_ascii=False
        )
    assert "argon2" not in dumped and PASSWORD not in dumped and "Tamthoi2026" not in dumped
    assert "password_hash" not in dumped
