"""What members are told about an exchange besides the answers to their own presses: the
request to confirm it and its reminders, "X has confirmed", the hand-over to a coordinator, and
why one waits. Each is a Notice queued in the transaction that makes the change (the `..._in`
effects below are passed to the ledger as `then`), worded when it is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain.broadcasts import Hearing
from bot.domain.ledger import follow_up_schedule
from bot.runtime.context import AmserApplication, Services
from bot.runtime.i18n import Translator
from handlers.common import Screen
from handlers.coordinators.exchanges import tell_coordinators
from handlers.credit_common import (
    balance_line,
    credit_coordinators,
    name_of,
    notice_transfer,
    what_became_of_it,
    what_happened,
)
from handlers.log.screens import answer_screen, approval_text, card_heading
from handlers.notices import Recipient, Render, register_notice
from handlers.nudges import wanted, with_stop
from storage.effects import Cancel, Effect, Schedule
from storage.ledger import Created, Outcome, Result, State, Transfer
from storage.members import Member
from storage.outbox import Notice, OutboxItem

FOLLOW_UP_KIND = "exchange_follow_up"

ASK = "exchange.ask"  # to the member asked: the card, Confirm / Change the time / wrong
REMINDER = "exchange.reminder"  # the card again, 2 and 5 days on
CONFIRMED = "exchange.confirmed"  # to the member who logged it: the other said yes
APPROVAL = "exchange.approval"  # to the member who logged it: agreed, a coordinator says yes
DISPUTED = "exchange.disputed"  # to the other member: something's wrong, a coordinator looks
HANDED_OVER = "exchange.handed_over"  # to both: a week unconfirmed, passed to a coordinator
UNREACHABLE = "exchange.unreachable"  # to the member who logged it: the other can't be reached


def follow_up_key(transfer_id: int) -> str:
    return f"exchange-follow-up:{transfer_id}"


def _notice(purpose: str, member_id: int | None, transfer: Transfer, step: str = "") -> Notice:
    key = f"{purpose}:{transfer.id}:{member_id}{step}"
    return Notice(purpose, member_id=member_id, about=transfer.id, key=key)


# --- what follows from each change (pure: passed to the ledger as `then`) ----------------------


def ask_to_confirm(transfer: Transfer) -> list[Effect]:
    """The member who should answer is asked, and the follow-ups are planned."""
    return [
        _notice(ASK, transfer.awaiting, transfer),
        Schedule(
            follow_up_key(transfer.id),
            FOLLOW_UP_KIND,
            follow_up_schedule(transfer.created_at).first_reminder,
            payload={"transfer": transfer.id},
        ),
    ]


def logged(created: Created) -> list[Effect]:
    """/log's Send: asked once, not again on a double tap."""
    return ask_to_confirm(created.transfer) if created.created else []


def countered(result: Result) -> list[Effect]:
    """Change the time: the first exchange needs no more reminders; the new one is asked."""
    if result.outcome is not Outcome.DONE:
        return []
    old = result.transfer.counters_transfer_id or 0
    return [Cancel(follow_up_key(old)), *ask_to_confirm(result.transfer)]


def answered(coordinators: Sequence[int], by_member_id: int, result: Result) -> list[Effect]:
    """A confirmation: the other member told; or, beyond the balance floor, the other member
    and the coordinators. The first time only."""
    transfer = result.transfer
    other = transfer.other(by_member_id)
    if result.outcome is Outcome.DONE:
        return [Cancel(follow_up_key(transfer.id)), _notice(CONFIRMED, other, transfer)]
    if result.outcome is Outcome.NEEDS_APPROVAL:
        return [
            Cancel(follow_up_key(transfer.id)),
            _notice(APPROVAL, other, transfer),
            *tell_coordinators(coordinators, transfer),
        ]
    return []


def disputed(coordinators: Sequence[int], by_member_id: int, result: Result) -> list[Effect]:
    if result.outcome is not Outcome.DONE:
        return []
    transfer = result.transfer
    return [
        Cancel(follow_up_key(transfer.id)),
        _notice(DISPUTED, transfer.other(by_member_id), transfer),
        *tell_coordinators(coordinators, transfer),
    ]


def handed_over(coordinators: Sequence[int], result: Result) -> list[Effect]:
    """A week unconfirmed: both members told, and the coordinators."""
    if result.outcome is not Outcome.DONE:
        return []
    transfer = result.transfer
    members = (transfer.from_member_id, transfer.to_member_id)
    return [
        *(_notice(HANDED_OVER, member_id, transfer) for member_id in members),
        *tell_coordinators(coordinators, transfer),
    ]


def unreachable(coordinators: Sequence[int], result: Result) -> list[Effect]:
    """The member asked can't be reached: the one who logged it is told, and the coordinators."""
    if result.outcome is not Outcome.DONE:
        return []
    transfer = result.transfer
    return [
        Cancel(follow_up_key(transfer.id)),
        _notice(UNREACHABLE, transfer.created_by, transfer),
        *tell_coordinators(coordinators, transfer),
    ]


def reminder(transfer: Transfer, step: str, not_before: datetime) -> Notice:
    """A gentle reminder to the member asked (a nudge they may turn off), out of quiet hours."""
    notice = _notice(REMINDER, transfer.awaiting, transfer, f":{step}")
    return replace(notice, not_before=not_before)


# --- how each reads, when it is sent ---------------------------------------------------------


async def _still_asked(
    services: Services, recipient: Recipient, item: OutboxItem
) -> tuple[Transfer, Member] | None:
    found = await notice_transfer(services, recipient, item)
    if found is None or found[0].awaiting != found[1].id:
        return None  # answered, changed or handed over meanwhile
    return found


async def _ask(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await _still_asked(services, recipient, item)
    if found is None:
        return None
    transfer, member = found
    creator = await services.members.get(transfer.created_by)
    heading = card_heading(recipient.tr, creator)
    return answer_screen(services, transfer, member, creator, heading)


async def _remind(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await _still_asked(services, recipient, item)
    if found is None or not await wanted(services, recipient, Hearing.CONFIRM_REMINDERS):
        return None
    transfer, member = found
    creator = await services.members.get(transfer.created_by)
    days = (item.created_at - transfer.created_at).days  # as it was when it fell due
    heading = recipient.tr.ngettext(
        "<b>A gentle reminder:</b> {name} logged this {days} day ago and is waiting "
        "for your answer.",
        "<b>A gentle reminder:</b> {name} logged this {days} days ago and is waiting "
        "for your answer.",
        days,
    ).format(name=name_of(creator, recipient.tr), days=days)
    screen = answer_screen(services, transfer, member, creator, heading)
    return with_stop(services, recipient, screen, Hearing.CONFIRM_REMINDERS)


async def _hand_over_instead(services: Services, item: OutboxItem) -> Iterable[Notice]:
    """The member asked can't be reached: the exchange goes to the coordinators now, and the
    member who logged it is told why (queued with that change, so nothing here)."""
    transfer = await services.ledger.get(item.about or 0)
    if transfer is not None and transfer.awaiting == item.member_id:
        coordinators = await credit_coordinators(services)
        await services.ledger.expire(
            transfer.id, services.clock.now(), then=lambda result: unreachable(coordinators, result)
        )
    return ()


async def _confirmed(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None:
        return None
    transfer, member = found
    tr = recipient.tr
    confirmer = await services.members.get(transfer.other(member.id))
    text = "\n".join(
        [
            tr.gettext("✅ <b>{name} has confirmed your exchange.</b>").format(
                name=name_of(confirmer, tr)
            ),
            what_happened(services, tr, transfer, member.id, confirmer),
            "",
            balance_line(tr, await services.ledger.balance(member.id)),
        ]
    )
    return Screen(text)


async def _approval(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None or not (found[0].state is State.PENDING and found[0].needs_approval):
        return None  # decided meanwhile: they hear the decision instead
    transfer, member = found
    other = await services.members.get(transfer.other(member.id))
    return Screen(approval_text(services, recipient.tr, transfer, member.id, other))


def _became(state: State, then: Callable[[Translator, Member | None], str]) -> Render:
    """How a notice reads that tells a member what has become of their exchange (`then`, given
    the other member), while the exchange is still in `state`."""

    async def render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
        found = await notice_transfer(services, recipient, item)
        if found is None or found[0].state is not state:
            return None
        transfer, member = found
        tr = recipient.tr
        other = await services.members.get(transfer.other(member.id))
        words = then(tr, other)
        return Screen(what_became_of_it(services, tr, transfer, member.id, other, words))

    return render


def _disputed(tr: Translator, disputer: Member | None) -> str:
    return tr.gettext(
        "{name} says something isn't quite right with this, so a coordinator will "
        "help you both sort it out. Nothing has been added or taken away yet."
    ).format(name=name_of(disputer, tr))


def _handed_over(tr: Translator, other: Member | None) -> str:
    return tr.gettext(
        "This wasn't confirmed within a week, so I've passed it to a coordinator, "
        "who will sort it out with you. Nothing has been added or taken away yet."
    )


def _unreachable(tr: Translator, other: Member | None) -> str:
    return tr.gettext(
        "{name} can't be reached on Telegram just now, so a coordinator will follow up. "
        "Nothing has been added or taken away yet."
    ).format(name=name_of(other, tr))


def register(app: AmserApplication) -> None:
    register_notice(app, ASK, _ask, instead=_hand_over_instead)
    register_notice(app, REMINDER, _remind, instead=_hand_over_instead)
    register_notice(app, CONFIRMED, _confirmed)
    register_notice(app, APPROVAL, _approval)
    register_notice(app, DISPUTED, _became(State.DISPUTED, _disputed))
    register_notice(app, HANDED_OVER, _became(State.EXPIRED, _handed_over))
    register_notice(app, UNREACHABLE, _became(State.EXPIRED, _unreachable))
