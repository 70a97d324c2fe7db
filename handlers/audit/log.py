"""The audit as actions write it: the effect every admin and ambassador action adds to its own
write, and the log chat's one line for it."""

from __future__ import annotations

from bot.runtime.context import AmserApplication, Services
from handlers.audit.words import line
from handlers.common import Screen
from handlers.notices import Recipient, register_notice
from storage.audit import LOG_PURPOSE, AuditAction, AuditEntry
from storage.effects import Audit
from storage.ledger import Transfer
from storage.members import Member
from storage.outbox import OutboxItem


def by(actor: Member | None, telegram_id: int) -> dict[str, int]:
    """For an entry's details: the Telegram id of staff who have not joined (no member id)."""
    return {} if actor is not None else {"telegram_id": telegram_id}


def audited(services: Services, entry: AuditEntry) -> Audit:
    """The action's audit row, with its line for the log chat (when the config names one), to
    be written in the action's own transaction (a `then` effect)."""
    return Audit(entry, services.config.log_chat)


async def _render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    record = await services.audit.get(item.about or 0)
    if record is None:
        return None
    return Screen(line(services.catalogs[services.config.log_language], record))


def transfer_audited(
    services: Services,
    action: AuditAction,
    actor_id: int,
    transfer: Transfer,
    target_id: int | None,
    *,
    reason: str | None = None,
    subject: int | None = None,
    **details: object,
) -> Audit:
    """The audit of a change to the ledger: how much, and which transfer (by default the one
    just made)."""
    entry = AuditEntry(
        action,
        actor_id,
        target_id,
        reason,
        subject=subject if subject is not None else transfer.id,
        details={"minutes": transfer.amount, **details},
    )
    return audited(services, entry)


def register(app: AmserApplication) -> None:
    register_notice(app, LOG_PURPOSE, _render)
