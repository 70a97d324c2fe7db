"""How one audit row reads, for the log chat and /audit: hashtag, who, what, whom, why."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from bot.runtime.i18n import Translator
from handlers.credit_common import hours_words
from storage.audit import AuditAction, AuditRecord

REASON_SHOWN = 80  # a reason's characters shown by /audit (the log chat has it whole)


def _hours(tr: Translator, details: dict[str, Any]) -> str:
    return hours_words(tr, int(details.get("minutes", 0)))


def _grant(tr: Translator, details: dict[str, Any]) -> str:
    organisation = details.get("organisation")
    if organisation:
        text = tr.gettext("{hours} from {organisation}")
        return text.format(hours=_hours(tr, details), organisation=escape(str(organisation)))
    return tr.gettext("{hours} from the pot").format(hours=_hours(tr, details))


def _settle(tr: Translator, details: dict[str, Any]) -> str:
    if details.get("decision") == "decline":
        return tr.gettext("an exchange of {hours} not recorded").format(hours=_hours(tr, details))
    return tr.gettext("an exchange of {hours} recorded").format(hours=_hours(tr, details))


def _broadcast(tr: Translator, details: dict[str, Any]) -> str:
    if details.get("decision") == "decline":
        return tr.gettext("their broadcast declined")
    return tr.gettext("their broadcast approved")


def _report(tr: Translator, details: dict[str, Any]) -> str:
    if details.get("outcome") == "dismissed":
        return tr.gettext("a report dismissed")
    if details.get("outcome") == "warned":
        return tr.gettext("a report acted on with a warning")
    if details.get("outcome") == "suspended":
        return tr.gettext("a report acted on with a suspension")
    return tr.gettext("a report handled")


def _refused(tr: Translator, details: dict[str, Any]) -> str:
    text = tr.gettext("tried again and again something they may not do ({action})")
    return text.format(action=escape(str(details.get("action", "?"))))


def _in_group(tr: Translator, details: dict[str, Any], done: str, refused: str) -> str:
    """A time-bank ban reaching a group chat (or lifted there): done, or refused and why."""
    group = escape(str(details.get("group", "?")))
    if "refused" in details:
        return refused.format(group=group, error=escape(str(details["refused"])))
    return done.format(group=group)


def _ban(tr: Translator, details: dict[str, Any]) -> str:
    if "group" not in details:
        return tr.gettext("banned")
    return _in_group(
        tr,
        details,
        tr.gettext("banned from the group chat {group}"),
        tr.gettext("not banned from the group chat {group}: Telegram said “{error}”"),
    )


def _unban(tr: Translator, details: dict[str, Any]) -> str:
    if "group" not in details:
        return tr.gettext("no longer banned")
    return _in_group(
        tr,
        details,
        tr.gettext("may join the group chat {group} again"),
        tr.gettext("not let back into the group chat {group}: Telegram said “{error}”"),
    )


def _role(tr: Translator, details: dict[str, Any]) -> str:
    return tr.gettext("coordinator") if details.get("role") == "admin" else tr.gettext("ambassador")


# What each kind of action did, in a few words (its hashtag and the people are added around).
WHAT: dict[AuditAction, Callable[[Translator, dict[str, Any]], str]] = {
    AuditAction.PROMOTE: lambda tr, d: tr.gettext("made {role}").format(role=_role(tr, d)),
    AuditAction.DEMOTE: lambda tr, d: tr.gettext("no longer {role}").format(role=_role(tr, d)),
    AuditAction.WARN: lambda tr, d: tr.gettext("warned"),
    AuditAction.UNWARN: lambda tr, d: tr.gettext("a warning taken back"),
    AuditAction.SUSPEND: lambda tr, d: tr.gettext("suspended"),
    AuditAction.UNSUSPEND: lambda tr, d: tr.gettext("no longer suspended"),
    AuditAction.BAN: _ban,
    AuditAction.UNBAN: _unban,
    AuditAction.KICK: lambda tr, d: tr.gettext("removed from the group"),
    AuditAction.MUTE: lambda tr, d: tr.gettext("muted"),
    AuditAction.UNMUTE: lambda tr, d: tr.gettext("no longer muted"),
    AuditAction.REMOVE_LISTING: lambda tr, d: tr.gettext("a listing taken down"),
    AuditAction.APPROVE: lambda tr, d: tr.gettext("approved to join"),
    AuditAction.DECLINE: lambda tr, d: tr.gettext("not approved to join"),
    AuditAction.GRANT: _grant,
    AuditAction.REVERSE: lambda tr, d: tr.gettext("{hours} given back").format(hours=_hours(tr, d)),
    AuditAction.RECORD: lambda tr, d: tr.gettext("{hours} recorded as given").format(
        hours=_hours(tr, d)
    ),
    AuditAction.SETTLE: _settle,
    AuditAction.BROADCAST: _broadcast,
    AuditAction.REPORT: _report,
    AuditAction.APPEAL: lambda tr, d: tr.gettext("an appeal decided"),
    AuditAction.REFUSED: _refused,
}


def _who(tr: Translator, member_id: int | None, name: str | None, erased: bool) -> str:
    if member_id is None:
        return tr.gettext("the bot")
    if erased or not name:
        return tr.gettext("a former member")
    return escape(name)


def shortened(text: str, limit: int = REASON_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def line(tr: Translator, record: AuditRecord, *, reason_limit: int | None = None) -> str:
    """ "#GRANT Gwen → Siân: 2 hours from the pot (volunteering)", ready for HTML."""
    actor = _who(tr, record.actor_id, record.actor_name, record.actor_erased)
    if record.actor_id is None and record.details.get("anonymous"):  # posting as the group
        actor = tr.gettext("an anonymous group admin")
    elif record.actor_id is None and "telegram_id" in record.details:  # staff not joined yet
        actor = tr.gettext("someone who hasn't joined")
    who = actor
    if record.target_id is not None:
        target = _who(tr, record.target_id, record.target_name, record.target_erased)
        who = f"{actor} → {target}"
    elif "target_name" in record.details:  # someone in a group who is not a member
        who = f"{actor} → {escape(str(record.details['target_name']))}"
    text = f"{record.action.hashtag} {who}: {WHAT[record.action](tr, record.details)}"
    if record.reason:
        reason = record.reason if reason_limit is None else shortened(record.reason, reason_limit)
        text += f" ({escape(reason)})"
    return text
