"""The Bot API surface for the bot's command menu: setMyCommands, deleteMyCommands, getMyCommands."""

from __future__ import annotations

import copy
import json
import re

from bot.sandbox.emulator.protocol import ApiError, Ctx, Handler, Json, Params, json_value

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotCommands:
    """The commands the bot registered, per scope and language, checked as Telegram checks them."""

    def __init__(self) -> None:
        self._commands: dict[tuple[str, str], list[Json]] = {}

    def methods(self) -> dict[str, Handler]:
        return {
            "setMyCommands": self._api_set_my_commands,
            "deleteMyCommands": self._api_delete_my_commands,
            "getMyCommands": self._api_get_my_commands,
        }

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        scope = json_value(params.get("scope"), "Bad Request: can't parse scope JSON object")
        if not isinstance(scope, dict):
            scope = {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _api_set_my_commands(self, ctx: Ctx, params: Params) -> bool:
        commands = json_value(params.get("commands"), "Bad Request: can't parse commands JSON object")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _api_delete_my_commands(self, ctx: Ctx, params: Params) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _api_get_my_commands(self, ctx: Ctx, params: Params) -> list[Json]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def commands(self, language_code: str = "", scope: Json | None = None) -> list[Json]:
        """The commands the bot registered for ``scope`` (default scope) and language."""
        return copy.deepcopy(self._commands.get(self._commands_key(
            {"scope": scope, "language_code": language_code}), []))
