"""Accounts: users, their role memberships per institution, web sessions, tokens, login attempts.

Secrets are never stored in clear: passwords as argon2id hashes, session ids, personal access
tokens and reset tokens as SHA-256 digests, so a copy of the database cannot be replayed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from careshift.adapters.db.base import metadata

user_account = Table(
    "user_account",
    metadata,
    Column("id", Integer, primary_key=True),
    # Stored lower-case: e-mail addresses are compared case-insensitively.
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    # NULL for accounts that only sign in through OpenID Connect.
    Column("password_hash", String(200), nullable=True),
    # en | nb | sv; NULL means "follow the browser".
    Column("language", String(8), nullable=True),
    # The worker record this account belongs to (a worker's own account); no foreign key
    # because the workforce area owns that table and erasure removes the worker first.
    Column("worker_id", Integer, nullable=True),
    # "issuer|subject" of an OpenID Connect identity linked to this account.
    Column("oidc_subject", String(300), nullable=True, unique=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

membership = Table(
    "membership",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
    # worker | academy | union | hr | analyst | admin | education (domain.access.Role)
    Column("role", String(20), nullable=False),
    # NULL: every institution (a national analyst, the platform administrator).
    Column("institution_id", ForeignKey("institution.id", ondelete="CASCADE"), nullable=True),
    UniqueConstraint("user_id", "role", "institution_id"),
    Index("ix_membership_user", "user_id"),
)

web_session = Table(
    "web_session",
    metadata,
    # SHA-256 of the random id carried by the cookie.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
    # Synchronizer token every form of this session must echo.
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_web_session_user", "user_id"),
)

access_token = Table(
    "access_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    # Space-separated: read | write
    Column("scopes", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_access_token_user", "user_id"),
)

password_reset = Table(
    "password_reset",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

# Failed and successful sign-ins, by e-mail and by client address, for rate limiting.
login_attempt = Table(
    "login_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempt_email", "email", "at"),
    Index("ix_login_attempt_client", "client", "at"),
)
