"""Request signing as api.md defines it.

HMAC-SHA256, keyed with the centre's secret, of ``METHOD \\n PATH \\n TIMESTAMP \\n hex(SHA-256(body))``.

The server recomputes the same string; any difference (a path with a query, a body re-serialised after
signing) is a 401. So the client signs the exact bytes it sends, and the path without scheme or host.
"""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, method: str, path: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of the request, keyed with the centre's secret."""
    message = "\n".join((method.upper(), path, str(timestamp), hashlib.sha256(body).hexdigest()))
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(
    centre: str, secret: str, method: str, path: str, body: bytes, *, timestamp: int
) -> dict[str, str]:
    """The three authentication headers of one request."""
    return {
        "X-Centre": centre,
        "X-Timestamp": str(timestamp),
        "X-Signature": signature(secret, method, path, timestamp, body),
    }
