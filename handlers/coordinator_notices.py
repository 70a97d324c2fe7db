"""What members are told after a coordinator gives them credits, records an exchange for
them or undoes one of their transfers: each notice in the member's own language.
"""

from __future__ import annotations

from html import escape

from bot.runtime.context import Services
from handlers.common import Screen, tr_for
from handlers.coordinator_forms import transfer_summary
from handlers.credit_common import balance_line, day_words, hours_words, name_of, today
from storage.ledger import Transfer
from storage.members import Member


async def granted(services: Services, me: Member, member: Member, transfer: Transfer) -> Screen:
    """What the member is told, in their language."""
    tr = tr_for(services, member)
    _ = tr.gettext
    lines = [
        _("🎁 <b>{coordinator} has given you {hours} from the community pot.</b>").format(
            coordinator=name_of(me, tr), hours=hours_words(tr, transfer.amount)
        ),
        _("Reason: {reason}").format(reason=escape(transfer.reason or "—")),
        balance_line(tr, await services.ledger.balance(member.id)),
        "",
        _(
            "Use them whenever you'd like some help. Thank you for being part of {community}!"
        ).format(community=escape(services.config.community_name)),
    ]
    return Screen("\n".join(lines))


async def given_by(
    services: Services, me: Member, member: Member, transfer: Transfer, organisation: str
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
        balance_line(tr, await services.ledger.balance(member.id)),
        "",
        _(
            "Use them whenever you'd like some help. Thank you for being part of {community}!"
        ).format(community=escape(services.config.community_name)),
    ]
    return Screen("\n".join(lines))


async def recorded(
    services: Services,
    me: Member,
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
    lines.append(balance_line(tr, await services.ledger.balance(member.id)))
    return Screen("\n".join(lines))


async def reversed_notice(
    services: Services, me: Member, member: Member, original: Transfer, reason: str
) -> Screen:
    tr = tr_for(services, member)
    _ = tr.gettext
    lines = [
        _("↩️ <b>{coordinator} has undone a transfer:</b>").format(coordinator=name_of(me, tr)),
        await transfer_summary(services, tr, original),
        _("Reason: {reason}").format(reason=escape(reason)),
        _("Nothing has been deleted: a transfer the other way balances it."),
        balance_line(tr, await services.ledger.balance(member.id)),
    ]
    return Screen("\n".join(lines))
