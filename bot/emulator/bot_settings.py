"""Bot settings and look-ups: commands, menu button, name/descriptions, getChat, getFile."""

from __future__ import annotations

from typing import Any

from bot.emulator import wire
from bot.emulator.commands import (
    normalize_language,
    normalize_scope,
    storage_key,
    validate_commands,
)
from bot.emulator.errors import bad_request
from bot.emulator.methods_types import Handler
from bot.emulator.models import Document
from bot.emulator.state import EmulatorState

MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})
PROFILE_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


class BotSettings:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def handlers(self) -> dict[str, Handler]:
        return {
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "setMyName": self.set_profile_text("name"),
            "getMyName": self.get_profile_text("name"),
            "setMyDescription": self.set_profile_text("description"),
            "getMyDescription": self.get_profile_text("description"),
            "setMyShortDescription": self.set_profile_text("short_description"),
            "getMyShortDescription": self.get_profile_text("short_description"),
            "getChat": self.get_chat,
            "getFile": self.get_file,
        }

    def _command_key(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = normalize_scope(params.get("scope"))
        if "chat_id" in scope:
            self.state.chat_for_bot(scope["chat_id"], sending=False)
        return storage_key(scope, normalize_language(params.get("language_code")))

    async def set_my_commands(self, params: dict[str, Any]) -> Any:
        key = self._command_key(params)
        commands = validate_commands(params.get("commands"))
        if commands:
            self.state.commands[key] = commands
        else:
            self.state.commands.pop(key, None)
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> Any:
        return [dict(command) for command in self.state.commands.get(self._command_key(params), [])]

    async def delete_my_commands(self, params: dict[str, Any]) -> Any:
        self.state.commands.pop(self._command_key(params), None)
        return True

    async def set_chat_menu_button(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self.state.chat_for_bot(chat_id, sending=False).chat_id
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        self.state.menu_buttons[chat_id] = button
        return True

    async def get_chat_menu_button(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self.state.chat_for_bot(chat_id, sending=False).chat_id
        default = self.state.menu_buttons.get(None, {"type": "commands"})
        return self.state.menu_buttons.get(chat_id, default)

    def set_profile_text(self, kind: str) -> Handler:
        """setMyName / setMyDescription / setMyShortDescription for one language."""

        async def handler(params: dict[str, Any]) -> Any:
            language = normalize_language(params.get("language_code"))
            text = str(params.get(kind) or "")
            if len(text) > PROFILE_TEXT_LIMITS[kind]:
                raise bad_request(f"{kind} is too long")
            if text:
                self.state.profile_texts[(kind, language)] = text
            else:
                self.state.profile_texts.pop((kind, language), None)
            return True

        return handler

    def get_profile_text(self, kind: str) -> Handler:
        async def handler(params: dict[str, Any]) -> Any:
            language = normalize_language(params.get("language_code"))
            text = self.state.profile_texts.get((kind, language))
            if text is None and kind == "name":
                text = self.state.bot.first_name
            return {kind: text or ""}

        return handler

    async def get_chat(self, params: dict[str, Any]) -> Any:
        chat = self.state.chat_for_bot(params.get("chat_id"), sending=False)
        return wire.chat_full_info(chat.profile)

    async def get_file(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id") or "")
        document: Document | None = self.state.files.get(file_id)
        if document is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": document.file_id,
            "file_unique_id": wire.document(document)["file_unique_id"],
            "file_size": document.size,
            "file_path": f"documents/{document.file_id}",
        }
