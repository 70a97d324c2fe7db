"""What warnings, suspensions and bans share: who cannot be acted on, how a reason is checked,
and how a moment reads to a member."""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.domain.roles import Role
from bot.domain.targets import REASON_MAX
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.common import Screen
from handlers.credit_common import day_words, name_of, today
from handlers.moderation.target import Target
from storage.members import Member


def refusal(services: Services, tr: Translator, member: Member, reason: str | None) -> str | None:
    """Why this cannot be done to this member with this reason; None if it may be tried."""
    _ = tr.gettext
    if member.telegram_id is not None and services.role_of(member.telegram_id) is Role.ADMIN:
        return _(
            "{name} is a coordinator, and coordinators can't be warned, suspended or banned. "
            "Nothing has been changed."
        ).format(name=name_of(member, tr))
    if reason is not None and len(reason) > REASON_MAX:
        return _(
            "That reason is a little long: please keep it to {limit} characters (yours had "
            "{length}). Nothing has been changed."
        ).format(limit=REASON_MAX, length=len(reason))
    return None


def moment_words(services: Services, tr: Translator, at: datetime) -> str:
    """ "Tuesday 24 November at 10:00", in the community's time zone."""
    local = at.astimezone(services.config.timezone)
    day = day_words(tr, local.date(), today(services))
    return tr.gettext("{day} at {time}").format(day=day, time=local.strftime("%H:%M"))


def reason_line(tr: Translator, reason: str | None) -> str:
    """The reason as the member reads it (escaped), or that none was given."""
    if not reason:
        return tr.gettext("No reason was given.")
    return tr.gettext("Reason: {reason}").format(reason=escape(reason))


def with_note(target: Target, tr: Translator, text: str) -> Screen:
    """The answer, after "Telegram id 123 is Ann." when the member was named by a number."""
    note = target.note(tr)
    return Screen(f"{note}\n{text}" if note else text)
