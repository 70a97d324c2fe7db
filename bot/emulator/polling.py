"""Getting updates and the bot's identity: getMe, getUpdates, webhooks, close/logOut."""

from __future__ import annotations

from typing import Any

from bot.emulator import wire
from bot.emulator.errors import bad_request
from bot.emulator.methods_types import Handler
from bot.emulator.state import EmulatorState


class Polling:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def handlers(self) -> dict[str, Handler]:
        return {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "close": self.acknowledge,
            "logOut": self.acknowledge,
        }

    async def get_me(self, params: dict[str, Any]) -> Any:
        return wire.get_me(self.state.bot, privacy_mode=self.state.privacy_mode)

    async def get_updates(self, params: dict[str, Any]) -> Any:
        state = self.state
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON array")
            state.allowed_updates = [str(kind) for kind in allowed]
        if offset and offset > 0:
            state.updates = [u for u in state.updates if u["update_id"] >= offset]
            if offset > state.confirmed_below:
                state.confirmed_below = offset
                state.updates_signal.notify()
        elif offset:
            state.updates = state.updates[offset:]

        def ready() -> list[dict[str, Any]] | bool:
            wanted = [u for u in state.updates if self._allowed(u)][:limit]
            return wanted or state.stopping

        immediate = ready()
        if immediate or not timeout:
            return immediate if isinstance(immediate, list) else []
        state.polls_waiting += 1
        state.updates_signal.notify()
        try:
            result = await state.updates_signal.wait_for(ready, timeout)
        except TimeoutError:
            return []
        finally:
            state.polls_waiting -= 1
        return result if isinstance(result, list) else []

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next((key for key in update if key != "update_id"), None)
        if kind is None:  # a raw update with no content: nothing to filter it by
            return True
        return self.state.wants(kind)

    async def set_webhook(self, params: dict[str, Any]) -> Any:
        self.state.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def delete_webhook(self, params: dict[str, Any]) -> Any:
        self.state.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def get_webhook_info(self, params: dict[str, Any]) -> Any:
        return {
            "url": self.state.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }

    async def acknowledge(self, params: dict[str, Any]) -> Any:
        return True
