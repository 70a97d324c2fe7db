"""The two-person rule: a broadcast to more than `[broadcasts] approval_above` members waits
for another ambassador or a coordinator to approve it. The first yes starts it, once; its
author can never approve their own."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import Update

from bot.domain.broadcasts import Status
from bot.domain.permissions import Action
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.access import allowed
from handlers.audit.log import audited, by
from handlers.broadcasts.progress import STARTED, SUMMARY
from handlers.broadcasts.words import audience_label, both_texts, members_count
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, current_member, keyboard, say, show, translator, user_id
from handlers.notices import Recipient, register_notice
from storage.audit import AuditAction, AuditEntry
from storage.broadcasts import Broadcast
from storage.effects import Audit
from storage.outbox import Notice, OutboxItem

CARD = "broadcast.approval"  # to each other ambassador and coordinator: Approve / Decline


class ApproveBroadcast(ButtonData, prefix="bc:yes"):
    broadcast: int


class DeclineBroadcast(ButtonData, prefix="bc:no"):
    broadcast: int


def approval_cards(approving: Sequence[int], broadcast: Broadcast) -> list[Notice]:
    """A card for everyone who may approve (`approvers`), queued in the write that makes it
    wait."""
    return [
        Notice(
            CARD,
            chat_id=telegram_id,
            about=broadcast.id,
            key=f"{CARD}:{broadcast.id}:{telegram_id}",
        )
        for telegram_id in approving
    ]


async def _render_card(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    if broadcast is None or broadcast.status is not Status.AWAITING_APPROVAL:
        return None  # dealt with already
    author = await services.members.get(broadcast.author_id)
    tr = recipient.tr
    _ = tr.gettext
    text = "\n".join(
        [
            _("<b>📣 A broadcast needs a second yes</b>"),
            _("{name} would like to send this {audience} ({count}).").format(
                name=escape((author.display_name if author else None) or "—"),
                audience=audience_label(services, broadcast.audience, tr),
                count=members_count(tr, broadcast.total),
            ),
            "",
            both_texts(tr, broadcast.text_en, broadcast.text_cy),
        ]
    )
    b = Buttons(services, recipient.chat_id)
    return Screen(
        text,
        keyboard(
            [
                b(_("✅ Approve and send"), ApproveBroadcast(broadcast.id)),
                b(_("Decline"), DeclineBroadcast(broadcast.id)),
            ]
        ),
    )


async def _decider(
    update: Update, context: AmserContext, broadcast_id: int
) -> tuple[Broadcast, Translator] | None:
    """The broadcast, if the presser may decide on it (an ambassador or coordinator, not its
    author); otherwise they are told why not."""
    services = context.services
    member = await current_member(update, context)
    tr = translator(update, context, member)
    _ = tr.gettext
    if not await allowed(update, context, Action.APPROVE_BROADCAST, member):
        return None
    broadcast = await services.broadcasts.get(broadcast_id)
    if broadcast is None:
        await show(update, context, Screen(_("That broadcast is no longer here.")))
        return None
    author = await services.members.get(broadcast.author_id)
    if author is not None and author.telegram_id == user_id(update):
        text = _(
            "You can't approve your own broadcast: another ambassador or a coordinator needs to."
        )
        await say(update, context, Screen(text))
        return None
    return broadcast, tr


async def _audit(
    update: Update, context: AmserContext, broadcast: Broadcast, decision: str
) -> Audit:
    """#BROADCAST: who approved or declined whose broadcast, to how many."""
    me = await current_member(update, context)
    entry = AuditEntry(
        AuditAction.BROADCAST,
        me.id if me is not None else None,
        broadcast.author_id,
        subject=broadcast.id,
        details={"decision": decision, "recipients": broadcast.total, **by(me, user_id(update))},
    )
    return audited(context.services, entry)


def _already(tr: Translator, broadcast: Broadcast) -> str:
    _ = tr.gettext
    if broadcast.declined_by is not None:
        return _("This broadcast was declined already, so nothing was sent.")
    if broadcast.status is Status.CANCELLED:
        return _("This broadcast was cancelled.")
    return _("This broadcast was approved already and is on its way. Thank you!")


async def on_approve(update: Update, context: AmserContext, press: ApproveBroadcast) -> None:
    if (found := await _decider(update, context, press.broadcast)) is None:
        return
    broadcast, tr = found
    services = context.services
    started = Notice(STARTED, member_id=broadcast.author_id, about=broadcast.id)
    audit = await _audit(update, context, broadcast, "approve")
    now_broadcast, approved = await services.broadcasts.approve(
        broadcast.id, user_id(update), services.clock.now(), then=lambda _b: [audit, started]
    )
    if not approved or now_broadcast is None:
        await show(update, context, Screen(_already(tr, now_broadcast or broadcast)))
        return
    text = tr.gettext("✅ Approved: it's on its way to {count}. Thank you!").format(
        count=members_count(tr, now_broadcast.total)
    )
    await show(update, context, Screen(text))


async def on_decline(update: Update, context: AmserContext, press: DeclineBroadcast) -> None:
    if (found := await _decider(update, context, press.broadcast)) is None:
        return
    broadcast, tr = found
    services = context.services
    told = Notice(SUMMARY, member_id=broadcast.author_id, about=broadcast.id)
    audit = await _audit(update, context, broadcast, "decline")
    now_broadcast, declined = await services.broadcasts.decline(
        broadcast.id, user_id(update), services.clock.now(), then=lambda _b: [audit, told]
    )
    if not declined or now_broadcast is None:
        await show(update, context, Screen(_already(tr, now_broadcast or broadcast)))
        return
    text = tr.gettext("Declined: nothing was sent, and its author has been told.")
    await show(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    register_notice(app, CARD, _render_card)
    add_presses(app, {ApproveBroadcast: on_approve, DeclineBroadcast: on_decline})
