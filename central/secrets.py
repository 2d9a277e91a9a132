"""Centre secrets: random, shown once, kept encrypted at rest (AES-256-GCM) under a master key file.

The master key file holds 32 random bytes, base64-encoded; it is created with mode 0600 when missing.
Its path comes from ``--key-file`` or the ``CENTRAL_KEY_FILE`` environment variable.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets as _random
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_FILE_ENV = "CENTRAL_KEY_FILE"
_NONCE_BYTES = 12


class KeyFileError(Exception):
    """The master key file is missing, unreadable or malformed (the message names the file)."""


def new_secret() -> str:
    return _random.token_urlsafe(32)


def key_file_path(option: str | os.PathLike[str] | None) -> Path:
    value = option or os.environ.get(KEY_FILE_ENV)
    if not value:
        raise KeyFileError(f"no master key file: pass --key-file or set {KEY_FILE_ENV}")
    return Path(value)


class MasterKey:
    """Encrypts and decrypts centre secrets; the centre code is bound in as associated data."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise KeyFileError("the master key must be 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, create: bool = True) -> MasterKey:
        path = Path(path)
        if not path.exists():
            if not create:
                raise KeyFileError(f"master key file {path} does not exist")
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first: read theirs
            except OSError as exc:
                raise KeyFileError(f"cannot create master key file {path}: {exc.strerror}") from None
            else:
                with os.fdopen(fd, "w", encoding="ascii") as handle:
                    handle.write(base64.b64encode(_random.token_bytes(32)).decode("ascii") + "\n")
        try:
            text = path.read_text(encoding="ascii").strip()
            key = base64.b64decode(text, validate=True)
        except (OSError, UnicodeDecodeError, binascii.Error, ValueError):
            raise KeyFileError(f"master key file {path} is unreadable or not base64") from None
        if len(key) != 32:
            raise KeyFileError(f"master key file {path} does not hold a 32-byte key")
        return cls(key)

    def encrypt(self, centre_code: str, secret: str) -> bytes:
        nonce = _random.token_bytes(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, secret.encode("utf-8"), centre_code.encode("utf-8"))

    def decrypt(self, centre_code: str, blob: bytes) -> str | None:
        """The secret, or None when the blob was not made by this key for this centre."""
        try:
            plain = self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], centre_code.encode("utf-8"))
        except (InvalidTag, ValueError):
            return None
        return plain.decode("utf-8")
