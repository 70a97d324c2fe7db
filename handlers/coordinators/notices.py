"""What members are told after a coordinator gives them credits, records an exchange for
them, undoes one of their transfers or decides an exchange from the queue: each notice in the
member's own language. The notices of /grant, /record and /reverse go through the outbox,
queued with the transfer (`told`) and worded here when they are sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, Services
from bot.runtime.i18n import Translator
from handlers.common import Screen, tr_for
from handlers.credit_common import (
    balance_line,
    day_words,
    hours_words,
    name_of,
    notice_transfer,
    today,
    what_happened,
)
from handlers.notices import Recipient, register_notice
from storage.ledger import State, Transfer
from storage.ledger import TransferKind as Kind
from storage.members import Member
from storage.outbox import Notice, OutboxItem

GIVEN = "credit.given"  # credits from the pot or an organisation, to the member
RECORDED = "credit.recorded"  # an exchange a coordinator recorded, to each member
REVERSED = "credit.reversed"  # a transfer undone (about: the reversal), to each member
UNREACHED = "credit.unreached"  # to the coordinator: a member could not be told


async def transfer_summary(services: Services, tr: Translator, transfer: Transfer) -> str:
    """One line (HTML) saying what a transfer was: who helped whom, or what went where."""
    _ = tr.gettext
    payer, earner = (
        await services.members.get(transfer.from_member_id),
        await services.members.get(transfer.to_member_id),
    )
    values = {
        "hours": hours_words(tr, transfer.amount),
        "day": day_words(tr, transfer.happened_on, today(services)),
    }
    if transfer.kind in (Kind.EXCHANGE, Kind.RECORDED):
        text = _("{giver} helped {receiver} for {hours}, {day}.")
        return text.format(giver=name_of(earner, tr), receiver=name_of(payer, tr), **values)
    if transfer.kind is Kind.DONATION:
        text = _("{hours} from {name} to the community pot, {day}.")
        return text.format(name=name_of(payer, tr), **values)
    if transfer.kind is Kind.GRANT:
        text = _("{hours} from the community pot to {name}, {day}.")
    elif transfer.kind is Kind.STARTER:
        text = _("{hours} of starter credits for {name}, {day}.")
    else:
        account = await services.ledger.get_account(transfer.from_account_id)
        text = _("{hours} from {organisation} to {name}, {day}.")
        values["organisation"] = escape((account.name if account else None) or "—")
    return text.format(name=name_of(earner, tr), **values)


async def _notice(
    services: Services, member: Member, tr: Translator, lines: list[str], *after: str
) -> Screen:
    """A notice that ends with the member's balance now (and then anything `after` it)."""
    balance = balance_line(tr, await services.ledger.balance(member.id))
    return Screen("\n".join([*lines, balance, *after]))


async def _credits_given(services: Services, member: Member, lines: list[str]) -> Screen:
    """A notice of credits given: what and why, the balance, and an invitation to use them."""
    tr = tr_for(services, member)
    welcome = tr.gettext(
        "Use them whenever you'd like some help. Thank you for being part of {community}!"
    ).format(community=escape(services.config.community_name))
    return await _notice(services, member, tr, lines, "", welcome)


async def granted(
    services: Services, me: Member | None, member: Member, transfer: Transfer
) -> Screen:
    """What the member is told, in their language."""
    tr = tr_for(services, member)
    _ = tr.gettext
    lines = [
        _("🎁 <b>{coordinator} has given you {hours} from the community pot.</b>").format(
            coordinator=name_of(me, tr), hours=hours_words(tr, transfer.amount)
        ),
        _("Reason: {reason}").format(reason=escape(transfer.reason or "—")),
    ]
    return await _credits_given(services, member, lines)


async def given_by(
    services: Services, me: Member | None, member: Member, transfer: Transfer, organisation: str
) -> Screen:
    """What the member is told of an organisation's credits, in their language."""
    tr = tr_for(services, member)
    _ = tr.gettext
    lines = [
        _("🎁 <b>{organisation} has given you {hours} of time credits:</b> {reason}").format(
            organisation=escape(organisation),
            hours=hours_words(tr, transfer.amount),
            reason=escape(transfer.reason or "—"),
        ),
        _("Recorded by {coordinator}.").format(coordinator=name_of(me, tr)),
    ]
    return await _credits_given(services, member, lines)


async def recorded(
    services: Services,
    me: Member | None,
    member: Member,
    other: Member | None,
    transfer: Transfer,
    *,
    gave: bool,
) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    values = {
        "coordinator": name_of(me, tr),
        "name": name_of(other, tr),
        "hours": hours_words(tr, transfer.amount),
        "day": day_words(tr, transfer.happened_on, today(services)),
    }
    if gave:
        heading = _(
            "📝 <b>{coordinator} has recorded that you helped {name} for {hours}, {day}.</b> "
            "Thank you!"
        )
    else:
        heading = _(
            "📝 <b>{coordinator} has recorded that {name} helped you for {hours}, {day}.</b>"
        )
    lines = [heading.format(**values)]
    if transfer.note:
        lines.append(_("Note: {note}").format(note=escape(transfer.note)))
    return await _notice(services, member, tr, lines)


async def reversed_notice(
    services: Services, me: Member | None, member: Member, original: Transfer, reason: str
) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    lines = [
        _("↩️ <b>{coordinator} has undone a transfer:</b>").format(coordinator=name_of(me, tr)),
        await transfer_summary(services, tr, original),
        _("Reason: {reason}").format(reason=escape(reason)),
        _("Nothing has been deleted: a transfer the other way balances it."),
    ]
    return await _notice(services, member, tr, lines)


async def decided(services: Services, member: Member, transfer: Transfer) -> Screen:
    """An exchange from the queue, recorded or not by a coordinator."""
    tr = tr_for(services, member)
    other = await services.members.get(transfer.other(member.id))
    lines = [what_happened(services, tr, transfer, member.id, other), ""]
    if transfer.state is State.CONFIRMED:
        lines.insert(0, tr.gettext("✅ <b>A coordinator has recorded this exchange.</b>"))
        lines.append(balance_line(tr, await services.ledger.balance(member.id)))
    else:
        lines.insert(0, tr.gettext("<b>A coordinator has decided not to record this.</b>"))
        lines.append(
            tr.gettext(
                "Nothing was added or taken away. If you'd like to talk it over, please "
                "contact a coordinator."
            )
        )
    return Screen("\n".join(lines))


# --- through the outbox ----------------------------------------------------------------------


def reachable(member: Member) -> bool:
    """Whether a member can be told on Telegram at all."""
    return member.telegram_id is not None and member.status is not Status.ERASED


def told(purpose: str, transfer: Transfer, members: Iterable[Member]) -> list[Notice]:
    """The notices of one transfer for the members on Telegram, to queue with it."""
    return [
        Notice(purpose, member_id=m.id, about=transfer.id, key=f"{purpose}:{transfer.id}:{m.id}")
        for m in members
        if reachable(m)
    ]


async def _given(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None:
        return None
    transfer, member = found
    me = await services.members.get(transfer.created_by)
    if transfer.kind is Kind.ORGANISATION:
        account = await services.ledger.get_account(transfer.from_account_id)
        organisation = (account.name if account else None) or "—"
        return await given_by(services, me, member, transfer, organisation)
    return await granted(services, me, member, transfer)


async def _recorded(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None:
        return None
    transfer, member = found
    me = await services.members.get(transfer.created_by)
    other = await services.members.get(transfer.other(member.id))
    gave = transfer.to_member_id == member.id
    return await recorded(services, me, member, other, transfer, gave=gave)


async def _reversed(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    found = await notice_transfer(services, recipient, item)
    if found is None:
        return None
    reversal, member = found
    original = await services.ledger.get(reversal.reverses_transfer_id or 0)
    if original is None:
        return None
    me = await services.members.get(reversal.created_by)
    return await reversed_notice(services, me, member, original, reversal.reason or "—")


async def _tell_coordinator_instead(services: Services, item: OutboxItem) -> Iterable[Notice]:
    """The member can't be reached: the coordinator who did it is asked to tell them."""
    transfer = await services.ledger.get(item.about or 0)
    if transfer is None or transfer.created_by is None:
        return []
    key = f"{UNREACHED}:{item.id}"
    data = {"member": item.member_id}
    return [Notice(UNREACHED, member_id=transfer.created_by, about=transfer.id, data=data, key=key)]


async def _unreached(services: Services, recipient: Recipient, item: OutboxItem) -> Screen:
    tr = recipient.tr
    member = await services.members.get(int(item.data.get("member") or 0))
    text = tr.gettext("I couldn't reach {name} on Telegram, so please let them know in person.")
    return Screen(text.format(name=name_of(member, tr)))


def register(app: AmserApplication) -> None:
    instead = _tell_coordinator_instead
    register_notice(app, GIVEN, _given, instead=instead)
    register_notice(app, RECORDED, _recorded, instead=instead)
    register_notice(app, REVERSED, _reversed, instead=instead)
    register_notice(app, UNREACHED, _unreached)
