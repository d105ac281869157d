"""The server secret that signs CSRF tokens and OpenID Connect state.

``CARESHIFT_SECRET_KEY`` wins; when it is empty a random key is generated once into
``data_dir/secret_key`` (mode 0600) so restarts and several worker processes agree on it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from careshift.bootstrap import Careshift
from careshift.errors import ConfigError

__all__ = ["secret_key", "sign"]


def secret_key(careshift: Careshift) -> bytes:
    def build() -> bytes:
        if careshift.settings.secret_key:
            return careshift.settings.secret_key.encode()
        path = careshift.settings.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: when two workers start together, one writes and the other reads.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        key = path.read_text().strip()
        if not key:
            raise ConfigError(f"{path} is empty; delete it to generate a new secret key")
        return key.encode()

    value: bytes = careshift.cached("secret:key", build)
    return value


def sign(careshift: Careshift, message: str) -> str:
    """A hex HMAC-SHA256 of ``message`` under the server secret."""
    return hmac.new(secret_key(careshift), message.encode(), hashlib.sha256).hexdigest()
