"""HTTP side: route /bot<token>/<method> and /file/bot<token>/<path>, record every call."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError, not_found, unauthorized
from bot.emulator.faults import (
    CARRIED_OUT_KINDS,
    ERROR_KINDS,
    FaultPlan,
    fault_error,
    fault_note,
)
from bot.emulator.methods import BotApi
from bot.emulator.models import ApiCall
from bot.emulator.params import read_params
from bot.emulator.state import EmulatorState

LOGGER = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 50 * 1024 * 1024  # the Bot API's upload limit for bots
FILE_PREFIX = "documents/"


class ApiServer:
    """Turns HTTP requests into BotApi calls and Bot API JSON responses."""

    def __init__(self, api: BotApi, state: EmulatorState, faults: FaultPlan, token: str) -> None:
        self.api = api
        self.state = state
        self.faults = faults
        self.token = token

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self.serve_file(path.removeprefix("/file/bot"))
        if path.startswith("/bot"):
            return await self.api_request(request, path.removeprefix("/bot"))
        return web.json_response(not_found().body(), status=404)

    async def api_request(self, request: web.Request, rest: str) -> web.StreamResponse:
        at = self.state.clock()
        token, _, method = rest.partition("/")
        canonical = self.api.canonical(method)
        params: dict[str, Any] = {}
        fault: str | None = None
        try:
            params = await read_params(request)
            if token != self.token:
                raise unauthorized()
            if canonical is None:
                LOGGER.warning("emulator: unknown or unimplemented Bot API method %r", method)
                raise not_found()
            fault = self.faults.take(canonical, params)
            if fault == "drop":
                self.state.record_call(ApiCall(canonical, params, 0, {}, at, fault_note(fault)))
                return self._drop(request)
            injected = fault_error(fault) if fault in ERROR_KINDS else None
            result = await self.api.call(canonical, params, injected)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            # A bad token wins even when the body could not be decoded.
            failure = unauthorized() if token != self.token else error
            status, body = failure.status, failure.body()
        except Exception as error:
            # An emulator bug must not look like a Telegram error; make it loud in the calls.
            LOGGER.exception("emulator failed on %s", method)
            status = 500
            body = {"ok": False, "error_code": 500, "description": f"Emulator error: {error!r}"}
        name = canonical or method
        if fault in CARRIED_OUT_KINDS:
            self.state.record_call(ApiCall(name, params, 0, body, at, fault_note(fault)))
            if fault == "drop_after" or await self._held_until_stop():
                return self._drop(request)
        else:
            note = fault_note(fault) if fault else ""
            self.state.record_call(ApiCall(name, params, status, body, at, note))
        return web.json_response(body, status=status)

    async def _held_until_stop(self) -> bool:
        """Hold a response back for the timeout delay; True if the emulator stopped first."""
        state = self.state
        try:
            await state.updates_signal.wait_for(lambda: state.stopping, self.faults.timeout_delay)
        except TimeoutError:
            return False
        return True

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        """Close the connection without a word; aiohttp then finds nothing to write to."""
        transport = request.transport
        if transport is not None:
            transport.close()
        return web.Response()

    def serve_file(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return web.json_response(unauthorized().body(), status=401)
        document = None
        if file_path.startswith(FILE_PREFIX):
            document = self.state.files.get(file_path.removeprefix(FILE_PREFIX))
        if document is None:
            return web.json_response(not_found().body(), status=404)
        return web.Response(
            body=document.content,
            content_type=document.mime_type or "application/octet-stream",
        )
