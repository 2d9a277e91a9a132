"""Staff and device accounts: argon2 password hashes, lock-out after failed logins, admin reset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import User
from counter_app.domain.clock import format_local_datetime
from counter_app.domain.errors import AuthenticationError, ConflictError, NotFoundError, ValidationError
from counter_app.domain.passwords import check_password_rules
from counter_app.domain.roles import Permission, Role
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.centre_settings import load_config
from counter_app.services.context import ServiceContext, UnitOfWork, unit_of_work

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class _Hashing:
    """argon2id at the library's recommended strength; tests may choose a cheaper profile."""

    hasher = PasswordHasher()
    _dummy_hash: str | None = None

    @classmethod
    def dummy_hash(cls) -> str:
        """Verifying against this keeps the time of "no such user" equal to "wrong password"."""
        if cls._dummy_hash is None:
            cls._dummy_hash = cls.hasher.hash("counter-app-dummy-password-1")
        return cls._dummy_hash


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Switch the argon2 parameters (tests use ``argon2.profiles.CHEAPEST``; hashes stay verifiable)."""
    _Hashing.hasher = hasher
    _Hashing._dummy_hash = None


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    must_change_password: bool


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.full_name,
        user.role,
        user.active,
        user.locked_until,
        user.must_change_password,
    )


def _snapshot(user: User) -> dict[str, object]:
    """What the audit log keeps of a user: never the hash."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "active": user.active,
        "locked_until": user.locked_until,
        "must_change_password": user.must_change_password,
    }


def normalise_username(username: str) -> str:
    value = username.strip().lower()
    if not USERNAME_PATTERN.match(value):
        raise ValidationError(
            _(
                "The user name '{name}' is invalid: use 2–32 lower-case letters, digits, '.', '_' or '-'."
            ).format(name=username)
        )
    return value


class Users:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def count(self) -> int:
        with self.ctx.db.reading() as session:
            return len(session.scalars(select(User.id)).all())

    def list(self, actor: Actor) -> list[UserView]:
        actor.require(Permission.MANAGE_USERS)
        with self.ctx.db.reading() as session:
            return [_view(u) for u in session.scalars(select(User).order_by(User.username))]

    def add(self, actor: Actor, username: str, role: Role, password: str, full_name: str = "") -> UserView:
        actor.require(Permission.MANAGE_USERS)
        name = normalise_username(username)
        with unit_of_work(self.ctx, actor) as uow:
            config = load_config(uow.session)
            check_password_rules(password, name, config.password_min_length)
            if uow.session.scalar(select(User.id).where(User.username == name)) is not None:
                raise ConflictError(_("The user '{name}' already exists.").format(name=name))
            user = User(
                username=name,
                full_name=full_name.strip(),
                role=role,
                password_hash=_Hashing.hasher.hash(password),
                active=True,
                failed_logins=0,
                must_change_password=False,
                created_at=uow.now,
                password_changed_at=uow.now,
            )
            uow.session.add(user)
            uow.session.flush()
            uow.audit("user.add", "user", user.id, None, _snapshot(user))
            return _view(user)

    def authenticate(self, username: str, password: str) -> Actor:
        """Check a login. Failures are counted and committed even though the login fails."""
        name = username.strip().lower()
        failure: AuthenticationError | None = None
        with self.ctx.db.transaction() as session:
            config = load_config(session)
            now = self.ctx.clock.now()
            user = session.scalar(select(User).where(User.username == name))
            if user is None:
                _verify(_Hashing.dummy_hash(), password)
                raise AuthenticationError(_("Wrong user name or password."))
            if not user.active:
                raise AuthenticationError(_("This account is disabled; ask an administrator."))
            if user.locked_until is not None and user.locked_until > now:
                raise AuthenticationError(_locked_message(user.locked_until))
            if _verify(user.password_hash, password):
                user.failed_logins = 0
                user.locked_until = None
                if _Hashing.hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = _Hashing.hasher.hash(password)
                return Actor(user.id, user.username, user.role)
            user.failed_logins += 1
            failure = AuthenticationError(_("Wrong user name or password."))
            # The failed attempt is committed (and audited) even though the login fails.
            uow = UnitOfWork(self.ctx, session, Actor(user.id, user.username, user.role))
            if user.failed_logins >= config.max_failed_logins:
                user.locked_until = now + timedelta(minutes=config.lockout_minutes)
                user.failed_logins = 0
                uow.audit("user.lock", "user", user.id, None, {"locked_until": user.locked_until})
                failure = AuthenticationError(_locked_message(user.locked_until))
            else:
                uow.audit("user.login_failed", "user", user.id, None, {"failed_logins": user.failed_logins})
            uow.write_audit()
        raise failure

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        if actor.user_id is None:
            raise ValidationError(_("The local console has no password to change."))
        with unit_of_work(self.ctx, actor) as uow:
            user = uow.session.get(User, actor.user_id)
            if user is None or not _verify(user.password_hash, old_password):
                raise AuthenticationError(_("The current password is wrong."))
            check_password_rules(new_password, user.username, load_config(uow.session).password_min_length)
            user.password_hash = _Hashing.hasher.hash(new_password)
            user.password_changed_at = uow.now
            user.must_change_password = False
            uow.audit("user.change_password", "user", user.id)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> UserView:
        """An administrator sets a temporary password: the account is unlocked and must change it."""
        actor.require(Permission.MANAGE_USERS)
        with unit_of_work(self.ctx, actor) as uow:
            user = self._get(uow.session, username)
            check_password_rules(new_password, user.username, load_config(uow.session).password_min_length)
            before = _snapshot(user)
            user.password_hash = _Hashing.hasher.hash(new_password)
            user.password_changed_at = uow.now
            user.must_change_password = True
            user.failed_logins = 0
            user.locked_until = None
            uow.audit("user.reset_password", "user", user.id, before, _snapshot(user))
            return _view(user)

    def set_active(self, actor: Actor, username: str, active: bool) -> UserView:
        actor.require(Permission.MANAGE_USERS)
        with unit_of_work(self.ctx, actor) as uow:
            user = self._get(uow.session, username)
            if actor.user_id == user.id and not active:
                raise ConflictError(_("You cannot disable your own account."))
            before = _snapshot(user)
            user.active = active
            uow.audit("user.enable" if active else "user.disable", "user", user.id, before, _snapshot(user))
            return _view(user)

    @staticmethod
    def _get(session: Session, username: str) -> User:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise NotFoundError(_("There is no user named '{name}'.").format(name=username))
        return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _Hashing.hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked_message(until: datetime) -> str:
    return _("This account is locked after too many failed logins until {time}.").format(
        time=format_local_datetime(until)
    )
