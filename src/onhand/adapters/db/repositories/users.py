"""User accounts, their web sessions and failed sign-ins (tables/users.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from onhand.adapters.db.tables.users import sign_in_failures, user_sessions, users
from onhand.domain.access.records import StoredUser
from onhand.domain.access.views import SessionView, UserView


def _user(row: Any) -> UserView:
    return UserView(
        id=row.id, email=row.email, name=row.name, role=row.role,
        locations=tuple(row.locations.split(",")) if row.locations else None,
        created_at=row.created_at, disabled_at=row.disabled_at,
    )



class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, *, email: str, name: str, role: str, password_hash: str, locations: tuple[str, ...] | None,
        created_at: datetime,
    ) -> int:
        result = self._conn.execute(insert(users).values(
            email=email, name=name, role=role, password_hash=password_hash,
            locations=",".join(locations) if locations else None, created_at=created_at,
        ))
        return int(result.inserted_primary_key[0])

    def get(self, user_id: int) -> UserView | None:
        row = self._conn.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def by_email(self, email: str) -> StoredUser | None:
        row = self._conn.execute(select(users).where(users.c.email == email)).first()
        return StoredUser(_user(row), row.password_hash) if row else None

    def list(self) -> list[UserView]:
        return [_user(r) for r in self._conn.execute(select(users).order_by(users.c.email))]

    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None:
        """A new password; every session of the user ends."""
        self._conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))
        self._conn.execute(update(user_sessions).where(user_sessions.c.user_id == user_id,
                                                       user_sessions.c.ended_at.is_(None)).values(ended_at=at))

    def disable(self, user_id: int, at: datetime) -> None:
        """Disable the user now unless already disabled (the first time is kept), and end
        every session of theirs."""
        self._conn.execute(update(users).where(users.c.id == user_id, users.c.disabled_at.is_(None))
                           .values(disabled_at=at))
        self._conn.execute(update(user_sessions).where(user_sessions.c.user_id == user_id,
                                                       user_sessions.c.ended_at.is_(None)).values(ended_at=at))


class SessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *, token_hash: str, user_id: int, csrf_token: str, created_at: datetime,
            expires_at: datetime) -> None:
        self._conn.execute(insert(user_sessions).values(
            token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, created_at=created_at,
            expires_at=expires_at,
        ))

    def active(self, token_hash: str, now: datetime) -> SessionView | None:
        """The session of this token if it has not ended or expired and its user is enabled."""
        query = (
            select(user_sessions.c.csrf_token, user_sessions.c.expires_at, users)
            .join(users, users.c.id == user_sessions.c.user_id)
            .where(user_sessions.c.token_hash == token_hash, user_sessions.c.ended_at.is_(None),
                   user_sessions.c.expires_at > now, users.c.disabled_at.is_(None))
        )
        row = self._conn.execute(query).first()
        return SessionView(_user(row), row.csrf_token, row.expires_at) if row else None

    def end(self, token_hash: str, at: datetime) -> None:
        self._conn.execute(update(user_sessions).where(user_sessions.c.token_hash == token_hash,
                                                       user_sessions.c.ended_at.is_(None)).values(ended_at=at))

    def purge(self, before: datetime) -> None:
        """Forget sessions that expired before `before` (they sign nobody in anyway)."""
        self._conn.execute(delete(user_sessions).where(user_sessions.c.expires_at < before))


class SignInFailureRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def since(self, email: str, client: str, since: datetime) -> list[datetime]:
        query = select(sign_in_failures.c.at).where(
            sign_in_failures.c.email == email, sign_in_failures.c.client == client, sign_in_failures.c.at > since,
        )
        return list(self._conn.execute(query).scalars())

    def add(self, email: str, client: str, at: datetime, *, forget_before: datetime) -> None:
        self._conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= forget_before))
        self._conn.execute(insert(sign_in_failures).values(email=email, client=client, at=at))

    def clear(self, email: str, client: str) -> None:
        self._conn.execute(delete(sign_in_failures).where(
            sign_in_failures.c.email == email, sign_in_failures.c.client == client))
