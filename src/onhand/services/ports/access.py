"""Ports of the access area: what the services ask of its repositories."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from onhand.domain.access.records import StoredKey, StoredUser
from onhand.domain.access.views import ApiKeyView, SessionView, UserView
from onhand.domain.actors import Actor
from onhand.domain.audit import AuditEntry, AuditFilter, AuditObject


class ApiKeyRepository(Protocol):
    """`uow.api_keys`: API keys: records, the hashes secrets are checked against, rotation, revocation."""

    def add(
        self, *, name: str, role: str, prefix: str, secret_hash: str, created_at: datetime,
        expires_at: datetime | None,
    ) -> int: ...

    def get(self, key_id: int) -> ApiKeyView | None: ...

    def by_prefix(self, prefix: str) -> StoredKey | None: ...

    def by_id_with_hashes(self, key_id: int) -> StoredKey | None: ...

    def list(self) -> builtins.list[ApiKeyView]: ...

    def active_admin_ids(self, now: datetime) -> builtins.list[int]: ...

    def revoke(self, key_id: int, at: datetime) -> None: ...

    def change(self, key_id: int, *, name: str, role: str) -> None: ...

    def rotate(
        self, key_id: int, *, secret_hash: str, previous_secret_hash: str, previous_until: datetime,
        at: datetime,
    ) -> None: ...

    def record_use(self, key_id: int, at: datetime, *, unless_since: datetime) -> None: ...


class IdempotencyRepository(Protocol):
    """`uow.idempotency`: idempotency records per scope (the caller); one at or before `expired_at` is gone."""

    def get(self, scope: str, key: str, *, expired_at: datetime) -> tuple[str, str, int] | None: ...

    def add(
        self, scope: str, key: str, *, action: str, fingerprint: str, resource_id: int, at: datetime,
        expired_at: datetime,
    ) -> None: ...

    # Which of these keys have a record.
    def seen(self, scope: str, keys: Collection[str], *, expired_at: datetime) -> set[str]: ...

    # Records of (key, action, fingerprint, resource id), as `add` gives each.
    def add_many(self, scope: str, records: Sequence[tuple[str, str, str, int]], *, at: datetime,
                 expired_at: datetime) -> None: ...


class ImportRunRepository(Protocol):
    """`uow.import_runs`: The reports of CSV imports, kept so that a run can be read back."""

    def add(self, *, kind: str, report: str, created_at: datetime) -> int: ...

    def get(self, run_id: int) -> str: ...


class AuditRepository(Protocol):
    """`uow.audit`: The audit log: who changed what, when, with the fields before and after."""

    def add(
        self, *, at: datetime, actor: Actor, action: str, subject: AuditObject,
        before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
    ) -> None: ...

    def add_many(
        self, *, at: datetime, actor: Actor,
        entries: builtins.list[tuple[str, AuditObject, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ) -> None: ...

    def list(self, where: AuditFilter, *, limit: int) -> builtins.list[AuditEntry]: ...


class UserRepository(Protocol):
    """`uow.users`: user accounts and the hashes their passwords are checked against."""

    def add(
        self, *, email: str, name: str, role: str, password_hash: str, locations: tuple[str, ...] | None,
        created_at: datetime,
    ) -> int: ...

    def get(self, user_id: int) -> UserView | None: ...

    def by_email(self, email: str) -> StoredUser | None: ...

    def list(self) -> builtins.list[UserView]: ...

    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None: ...

    def disable(self, user_id: int, at: datetime) -> None: ...


class SessionRepository(Protocol):
    """`uow.sessions`: signed-in web sessions, by the hash of their cookie's token."""

    def add(self, *, token_hash: str, user_id: int, csrf_token: str, created_at: datetime,
            expires_at: datetime) -> None: ...

    def active(self, token_hash: str, now: datetime) -> SessionView | None: ...

    def end(self, token_hash: str, at: datetime) -> None: ...

    def purge(self, before: datetime) -> None: ...


class SignInFailureRepository(Protocol):
    """`uow.sign_in_failures`: failed sign-ins per email and client, for the throttle."""

    def since(self, email: str, client: str, since: datetime) -> builtins.list[datetime]: ...

    def add(self, email: str, client: str, at: datetime, *, forget_before: datetime) -> None: ...

    def clear(self, email: str, client: str) -> None: ...
