"""A member banned from the time bank is banned from its group chats too, and let back when the
ban is lifted: the due work the ban (or its lifting) wrote in its own transaction
(storage/group_bans.py), done here with one audit row per group. A group that refuses (the bot
lacks the rights, they are an admin there, the group is gone) is recorded once, not retried;
a network error is retried as all due work is."""

from __future__ import annotations

import logging

from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.runtime.context import AmserApplication
from handlers.groups import acts
from storage.audit import AuditAction, AuditEntry
from storage.due_work import DueItem
from storage.effects import Audit, Effect
from storage.group_bans import BAN_KIND, UNBAN_KIND, GroupBan

logger = logging.getLogger(__name__)


async def ban_when_due(app: AmserApplication, item: DueItem) -> list[Effect]:
    return await _in_group(app, item, AuditAction.BAN)


async def unban_when_due(app: AmserApplication, item: DueItem) -> list[Effect]:
    return await _in_group(app, item, AuditAction.UNBAN)


async def _in_group(app: AmserApplication, item: DueItem, action: AuditAction) -> list[Effect]:
    work = GroupBan.of(item.payload)
    chat_id = work.chat_id
    act = acts.ban if action is AuditAction.BAN else acts.unban
    now = app.services.clock.now()
    refused: str | None = None
    try:
        try:
            await act(acts.Asked(app.bot, chat_id, work.telegram_id, now))
        except ChatMigrated as moved:  # it became a supergroup: the same group, a new id
            chat_id = moved.new_chat_id
            await act(acts.Asked(app.bot, chat_id, work.telegram_id, now))
    except (BadRequest, Forbidden) as exc:  # a refusal: asking again would get the same
        refused = exc.message
        logger.warning("time bank %s not done in group %s: %s", action.value, chat_id, refused)
    details: dict[str, object] = {"group": work.title or str(chat_id), "time_bank": True}
    if refused is not None:
        details["refused"] = refused
    entry = AuditEntry(
        action,
        work.actor_id,
        work.member_id,
        chat_id=chat_id,
        subject=work.sanction_id,
        details=details,
    )
    return [Audit(entry, app.services.config.log_chat)]


def register(app: AmserApplication) -> None:
    app.due_work_runner.register(BAN_KIND, ban_when_due)
    app.due_work_runner.register(UNBAN_KIND, unban_when_due)
