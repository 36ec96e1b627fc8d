"""socket.io conversation ids issued by the server, each with a token that only its browser holds.

A conversation id alone grants nothing: it appears in logs, in the tracker store and in ``make forget
SENDER=...``. To resume a conversation a connection must also present the token issued with it,
``HMAC-SHA256(secret, id)`` (64 hex characters), which the server never stores or logs. A connection
that presents no token, a wrong one, or an id or token of the wrong shape (an int, a 10,000-character
string, ...) gets a brand-new conversation instead; it can neither read nor write the one it named.

The secret is shared by every Rasa server of a deployment and survives restarts, so the same browser
keeps its conversation after a network drop, a server restart or a move to another server behind nginx:
``SOCKETIO_SESSION_SECRET`` (at least 32 characters) when set, else the file ``SOCKETIO_SECRET_FILE``
(default ``var/socketio-session.key``), created with 32 random bytes and mode 0600 on first start.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")  # what the server issues: uuid4().hex
TOKEN = re.compile(r"[0-9a-f]{64}")
MIN_SECRET_LENGTH = 32
DEFAULT_SECRET_FILE = Path("var") / "socketio-session.key"


def read_secret(environ: Mapping[str, str] | None = None) -> bytes:
    """The deployment's session secret (see the module docstring); raises ``ValueError`` if it is too short."""
    env = os.environ if environ is None else environ
    configured = env.get("SOCKETIO_SESSION_SECRET", "")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise ValueError(f"SOCKETIO_SESSION_SECRET must have at least {MIN_SECRET_LENGTH} characters")
        return configured.encode()
    path = Path(env.get("SOCKETIO_SECRET_FILE") or DEFAULT_SECRET_FILE)
    secret = _read_or_create(path)
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"{path} must hold at least {MIN_SECRET_LENGTH} characters")
    return secret


def _read_or_create(path: Path) -> bytes:
    """The secret in ``path``; created atomically (several servers may start at once) when missing."""
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_hex(32).encode())
        try:
            os.link(draft, path)  # fails if another server created it first: then theirs is used
            logger.info("socket.io: created the session secret file %s", path)
        except FileExistsError:
            pass
    finally:
        draft.unlink(missing_ok=True)
    return path.read_bytes().strip()


@dataclass(frozen=True)
class Session:
    """A conversation id and the token that proves a connection may use it; ``resumed`` if it was presented."""

    session_id: str
    token: str
    resumed: bool


class SessionTokens:
    """Issues conversation ids with their tokens, and checks the pair a reconnecting browser presents."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def token(self, session_id: str) -> str:
        return hmac.new(self._secret, f"socketio-session:{session_id}".encode(), hashlib.sha256).hexdigest()

    def issue(self) -> Session:
        session_id = uuid.uuid4().hex
        return Session(session_id, self.token(session_id), resumed=False)

    def resume_or_issue(self, request: Any) -> tuple[Session, str]:
        """The session a ``session_request`` may have, and why: ``resumed``, ``new`` (nothing presented),
        ``malformed`` (id or token of the wrong type or shape) or ``bad_token``."""
        if not isinstance(request, dict) or request.get("session_id") in (None, ""):
            return self.issue(), "new"
        session_id, token = request.get("session_id"), request.get("token")
        if not (isinstance(session_id, str) and SESSION_ID.fullmatch(session_id)):
            return self.issue(), "malformed"
        if not (isinstance(token, str) and TOKEN.fullmatch(token)):
            return self.issue(), "malformed"
        if not hmac.compare_digest(self.token(session_id), token):
            return self.issue(), "bad_token"
        return Session(session_id, token, resumed=True), "resumed"
