"""What the other members of a suspended or banned member's open introductions are told:
kindly, and never why; the notices are written in the sanction's own transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, Services
from handlers.common import Screen
from handlers.credit_common import name_of
from handlers.notices import Recipient, register_notice
from storage.moderation import (
    Alongside,
    Sanction,
    SanctionKind,
    introduced_to_in,
    remove_from_bank_in,
)
from storage.outbox import Notice, OutboxItem, queue_in

PAUSED = "moderation.paused"  # to the other member of an open introduction (never the reason)
ENDED = "moderation.ended"  # the same, when the introduction has ended (a ban)
RESUMED = "moderation.resumed"  # the same, when they are back


def paused_notices(tx: sqlite3.Connection, sanction: Sanction, now: datetime) -> None:
    """What else a sanction does, in its own transaction: a ban removes the member from the
    time bank; the others in their open introductions are told (kindly, without the reason)."""
    if sanction.kind is SanctionKind.BAN:
        others, purpose = remove_from_bank_in(tx, sanction.member_id, now), ENDED
    else:
        others, purpose = introduced_to_in(tx, sanction.member_id), PAUSED
    _tell_others_in(tx, purpose, sanction, others, now)


def pausing(now: datetime) -> Alongside:
    """`paused_notices`, as what a sanction written now does alongside it."""
    return lambda tx, sanction: paused_notices(tx, sanction, now)


def resumed_notices(tx: sqlite3.Connection, sanction: Sanction, now: datetime) -> None:
    """A suspension over: the others in the member's open introductions can carry on."""
    if sanction.kind is SanctionKind.BAN:
        return  # its introductions ended with it
    others = introduced_to_in(tx, sanction.member_id)
    _tell_others_in(tx, RESUMED, sanction, others, now)


def _tell_others_in(
    tx: sqlite3.Connection,
    purpose: str,
    sanction: Sanction,
    others: Iterable[tuple[int, int]],
    now: datetime,
) -> None:
    """One notice to each (introduction, other member), once per sanction."""
    notices = [
        Notice(
            purpose,
            member_id=other,
            about=introduction,
            data={"member": sanction.member_id},
            key=f"{purpose}:{sanction.id}:{introduction}",
        )
        for introduction, other in others
    ]
    if notices:
        queue_in(tx, notices, now)


async def _render_paused(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    """Kindly, and never why."""
    other = await services.members.get(int(item.data["member"]))
    if other is None or recipient.member is None:
        return None
    tr = recipient.tr
    _ = tr.gettext
    name = name_of(other, tr)
    if item.purpose == ENDED:
        text = _(
            "{name} is no longer part of the time bank, so your introduction with them has "
            "ended. Thank you for your patience; /browse has others you could help or ask."
        )
    elif item.purpose == RESUMED:
        if other.status is not Status.ACTIVE:
            return None  # away again
        text = _("{name} is back, so your introduction with them can carry on.")
    elif other.status is Status.ACTIVE:
        return None  # back already
    else:
        text = _(
            "{name} is taking a break from Amser for now, so your introduction with them is "
            "paused and messages can't pass between you. You'll be able to carry on if they "
            "come back."
        )
    return Screen(text.format(name=name))


def register(app: AmserApplication) -> None:
    for purpose in (PAUSED, ENDED, RESUMED):
        register_notice(app, purpose, _render_paused)
