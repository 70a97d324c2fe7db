"""Answering a listing and each other: "I can help" / "I'd like this", Accept and Decline, and
the safety advice both members get (once ever) when they are first introduced."""

from __future__ import annotations

from contextlib import suppress
from html import escape

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details, matches
from handlers.buttons import add_presses
from handlers.common import Screen, edit_card, say, show, tr_for
from handlers.credit_common import name_of
from handlers.introductions.cards import (
    card_notice,
    introduction_screen,
    proposal_screen,
    retire_card,
    say_card,
    show_card,
    waiting_screen,
)
from handlers.introductions.presses import Accept, Decline, Respond
from handlers.introductions.shared import finished, listing_of, party_press
from handlers.notices import Recipient, register_notice
from storage.effects import Effect
from storage.introductions import Changed, Created, Introduction
from storage.members import Member
from storage.outbox import Notice, OutboxItem

SAFETY = "introduction.safety"  # the safety advice, once ever, on a member's first introduction
DECLINED = "introduction.declined"  # the one who was declined, told kindly
BROKER = "introduction.broker"  # the ambassador who suggested it hears how it went


def safety_advice(tr: Translator) -> Screen:
    _ = tr.gettext
    return Screen(
        _(
            "<b>Before you meet: a few friendly tips</b> 💛\n"
            "Most introductions go smoothly, and these simple habits help everyone feel safe:\n"
            "• Meet somewhere public the first time, like a café or a library.\n"
            "• Tell someone you trust where you're going and when.\n"
            "• Never handle anyone's bank cards, PINs or cash.\n"
            "• Time bank help doesn't include personal care, such as washing or dressing.\n"
            "• Kindly say no to gifts: here, an hour is simply an hour.\n"
            "If anything worries you, please talk to a coordinator. We're here to help."
        )
    )


# --- "I can help" / "I'd like this" -----------------------------------------------------------


def _asked(services: Services, member: Member, owner: Member) -> Screen:
    """What the member who asked hears: the same words however often they press."""
    tr = tr_for(services, member)
    return Screen(
        tr.gettext(
            "Thank you! I've let {name} know, and I'll tell you when they reply. Your contact "
            "details stay private until you both agree to share them."
        ).format(name=name_of(owner, tr))
    )


async def _answered_here(update: Update, context: AmserContext) -> None:
    """The card pressed has been answered: its "I can help" and "Not this time" go."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or message.reply_markup is None:
        return
    answered = (Respond, matches.NotThisTime)
    verify = context.services.callbacks.verify
    rows = []
    for row in message.reply_markup.inline_keyboard:
        kept = []
        for button in row:
            parts = verify(query.from_user.id, str(button.callback_data or ""))
            if parts is None or not any(kind.parse(parts) for kind in answered):
                kept.append(button)
        if kept:
            rows.append(kept)
    if rows != [list(row) for row in message.reply_markup.inline_keyboard]:
        with suppress(BadRequest):  # already changed by the other of two quick taps
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def on_respond(update: Update, context: AmserContext, press: Respond) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    listing = await services.listings.get(press.listing)
    if listing is not None and listing.member_id == member.id:
        text = _("This is your own listing, so there's nobody to introduce you to.")
        await say(update, context, Screen(text))
        return
    owner = await services.members.get(listing.member_id) if listing else None
    if (
        listing is None
        or listing.status != "open"
        or owner is None
        or owner.status is not Status.ACTIVE
        or await services.blocks.is_blocked_either_way(member.id, owner.id)
    ):
        await say(update, context, _not_open(services, member))
        return
    await _answered_here(update, context)

    def ask_owner(made: Created) -> list[Notice]:
        return [card_notice(made.introduction, owner.id)] if made.created else []

    made = await services.introductions.create(
        listing.id, owner.id, member.id, services.clock.now(), then=ask_owner
    )
    intro = made.introduction
    await services.matching.accept(listing.id, member.id)  # if a match notice brought them here
    if intro.status == "proposed" and intro.has_accepted(member.id):
        await _tell_asked(update, context, intro, member, owner)
    elif intro.status == "proposed":  # a coordinator suggested them already: their own card
        broker = await services.members.get(intro.brokered_by)
        screen = proposal_screen(services, intro, member, owner, listing, broker)
        await say_card(update, context, intro, member, screen)
    elif intro.status == "accepted":
        screen = introduction_screen(services, intro, member, owner, listing)
        await say_card(update, context, intro, member, screen)
    else:
        text = _("This introduction has already finished. Thank you for thinking of it!")
        await say(update, context, Screen(text))


async def _tell_asked(
    update: Update, context: AmserContext, intro: Introduction, member: Member, owner: Member
) -> None:
    """Once: a second press shows the same words in the same message, not a new one."""
    screen = _asked(context.services, member, owner)
    card = intro.card_of(member.id)
    if card is not None:
        await edit_card(context, member, card, screen)  # unchanged words: nothing new to see
        return
    message = await say(update, context, screen)
    await context.services.introductions.set_card(intro.id, member.id, message.message_id)


def _not_open(services: Services, member: Member) -> Screen:
    # The same words whether it closed, was matched or a block stands: a block is never shown.
    _ = tr_for(services, member).gettext
    return Screen(
        _(
            "Thank you for thinking of it! This one isn't open any more: it may have "
            "been matched or closed already."
        )
    )


# --- Accept and Decline -----------------------------------------------------------------------


async def _accept(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    name = name_of(other, tr)
    listing = await listing_of(services, intro)
    if intro.status == "accepted":
        screen = introduction_screen(services, intro, member, other, listing)
        await show_card(update, context, intro, member, screen)
        return
    if (
        intro.status != "proposed"
        or other.status is not Status.ACTIVE
        or await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id)
    ):
        await show_card(update, context, intro, member, finished(services, member))
        return
    if intro.has_accepted(member.id):
        waiting = waiting_screen(services, member, other, listing)
        await show_card(update, context, intro, member, waiting)
        return
    result = await services.introductions.accept(
        intro.id, member.id, services.clock.now(), then=_introduced
    )
    intro = result.introduction
    if result.changed:
        text = _("✅ Thank you! You're now introduced to {name}.").format(name=name)
        await show_card(update, context, intro, member, Screen(text))
    elif intro.status == "proposed":
        text = _("Thank you! I'll let you know when {name} says yes too.").format(name=name)
        await show_card(update, context, intro, member, Screen(text))
    else:
        await show_card(update, context, intro, member, finished(services, member))


def _introduced(result: Changed) -> list[Effect]:
    """Both said yes: safety advice (once ever per member), then each one's new card, and
    the ambassador who suggested it is told."""
    if not result.changed:
        return []
    intro = result.introduction
    effects: list[Effect] = []
    for member_id in (intro.owner_id, intro.responder_id):
        if member_id in result.advised:
            effects.append(Notice(SAFETY, member_id=member_id, about=intro.id))
        effects.append(card_notice(intro, member_id))
    return effects + _tell_broker(intro, accepted=True)


def _tell_broker(intro: Introduction, *, accepted: bool) -> list[Effect]:
    if intro.brokered_by is None:
        return []
    data = {"accepted": accepted}
    return [Notice(BROKER, member_id=intro.brokered_by, about=intro.id, data=data)]


async def _decline(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    if intro.status == "proposed" and intro.has_accepted(member.id):
        # Only the one still asked may decline; the asker can end it instead.
        text = _("I'm still waiting for {name} to reply.").format(name=name_of(other, tr))
        await show(update, context, Screen(text))
        return

    def tell(result: Changed) -> list[Effect]:
        if not result.changed:
            return []
        told = Notice(DECLINED, member_id=other.id, about=intro.id)
        return [told, *_tell_broker(result.introduction, accepted=False)]

    result = await services.introductions.decline(
        intro.id, member.id, services.clock.now(), then=tell
    )
    if not result.changed:
        await show_card(update, context, intro, member, finished(services, member))
        return
    intro = result.introduction
    text = _(
        "That's fine. I won't introduce you this time, and I'll let {name} know kindly."
    ).format(name=name_of(other, tr))
    await show_card(update, context, intro, member, Screen(text))
    await retire_card(context, intro, other)


# --- notices ----------------------------------------------------------------------------------


async def _render_safety(services: Services, recipient: Recipient, item: OutboxItem) -> Screen:
    return safety_advice(recipient.tr)


async def _render_declined(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    if intro is None or await services.blocks.is_blocked_either_way(
        intro.owner_id, intro.responder_id
    ):
        return None  # a block is never shown
    listing = await listing_of(services, intro)
    title = escape(listing.title) if listing else "—"
    return Screen(
        recipient.tr.gettext(
            "Thank you for being open to an introduction about “{title}”. It won't go ahead "
            "this time, and that's quite all right. Thank you for being part of {community}!"
        ).format(title=title, community=escape(services.config.community_name))
    )


async def _render_broker(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    if intro is None:
        return None
    tr = recipient.tr
    text = (
        tr.gettext("✅ {owner} and {helper} have both said yes, and are now introduced. Thank you!")
        if item.data.get("accepted")
        else tr.gettext("{owner} and {helper} won't be introduced this time. Thank you for trying!")
    )
    owner = await services.members.get(intro.owner_id)
    helper = await services.members.get(intro.responder_id)
    return Screen(text.format(owner=name_of(owner, tr), helper=name_of(helper, tr)))


def register(app: AmserApplication) -> None:
    register_notice(app, SAFETY, _render_safety)
    register_notice(app, DECLINED, _render_declined)
    register_notice(app, BROKER, _render_broker)
    add_presses(
        app, {Respond: on_respond, Accept: party_press(_accept), Decline: party_press(_decline)}
    )
