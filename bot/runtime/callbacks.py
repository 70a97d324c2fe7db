"""Signed callback data: a button only works for the member it was sent to.

Telegram lets any client send any callback_data, so each button carries a short MAC over the
recipient's user id and the payload. Handlers still check roles and state on arrival.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SEPARATOR = ":"
MAC_MARK = "~"
MAC_LENGTH = 10
MAX_BYTES = 64


class CallbackSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def sign(self, user_id: int, *parts: str | int) -> str:
        payload = SEPARATOR.join(str(part) for part in parts)
        data = f"{payload}{MAC_MARK}{self._mac(user_id, payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long for Telegram: {data!r}")
        return data

    def verify(self, user_id: int, data: str) -> list[str] | None:
        """The payload's parts if data was signed for this user, else None."""
        payload, mark, mac = data.rpartition(MAC_MARK)
        if not mark or not hmac.compare_digest(mac, self._mac(user_id, payload)):
            return None
        return payload.split(SEPARATOR)

    def _mac(self, user_id: int, payload: str) -> str:
        digest = hmac.new(self._secret, f"{user_id}|{payload}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:MAC_LENGTH]
