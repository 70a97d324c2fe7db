"""Ending an introduction, and blocking someone (from an introduction, a message or a listing):
they are not told, and nothing passes between the two again."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain.membership import Status
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import details
from handlers.buttons import Buttons, add_presses
from handlers.common import Screen, keyboard, say, show, tr_for
from handlers.credit_common import name_of
from handlers.introductions.cards import retire_card, show_card
from handlers.introductions.messages import forget_writing_to
from handlers.introductions.presses import AskBlock, Block, End, KeepUnblocked, Target
from handlers.introductions.shared import finished, party_press
from handlers.notices import Recipient, register_notice
from storage.introductions import Changed, Introduction
from storage.members import Member
from storage.outbox import Notice, OutboxItem

ENDED = "introduction.ended"  # the other member, told the introduction has ended

# --- ending -----------------------------------------------------------------------------------


async def _end(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    services = context.services
    _ = tr_for(services, member).gettext

    def tell(result: Changed) -> list[Notice]:
        return [Notice(ENDED, member_id=other.id, about=intro.id)] if result.changed else []

    result = await services.introductions.end(intro.id, member.id, services.clock.now(), then=tell)
    if not result.changed:
        await show_card(update, context, intro, member, finished(services, member))
        return
    intro = result.introduction
    community = escape(services.config.community_name)
    text = _("This introduction has ended. Thank you for being part of {community}!")
    await show_card(update, context, intro, member, Screen(text.format(community=community)))
    if not await services.blocks.is_blocked_either_way(member.id, other.id):
        await retire_card(context, intro, other)


async def _render_ended(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    if intro is None or intro.ended_by is None:
        return None
    if await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id):
        return None  # a block is never shown
    ender = await services.members.get(intro.ended_by)
    tr = recipient.tr
    return Screen(
        tr.gettext(
            "{name} has ended your introduction. Thank you both for being part of {community}!"
        ).format(name=name_of(ender, tr), community=escape(services.config.community_name))
    )


# --- blocking ---------------------------------------------------------------------------------


async def _block_target(
    update: Update, context: AmserContext, press: AskBlock | Block
) -> tuple[Member, Member] | None:
    """The presser and whom the button names: the other member of the presser's introduction,
    or the owner of a listing. Checked on every press."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    services = context.services
    _ = tr_for(services, member).gettext
    other_id: int | None = None
    if press.target is Target.INTRO:
        intro = await services.introductions.get(press.ident)
        if intro is not None and intro.involves(member.id):
            other_id = intro.other(member.id)
    else:
        listing = await services.listings.get(press.ident)
        if listing is not None:
            other_id = listing.member_id
    if other_id == member.id:
        await show(
            update, context, Screen(_("This is your own listing, so there's nobody to block."))
        )
        return None
    other = await services.members.get(other_id)
    if other is None or other.status is Status.ERASED:
        await show(update, context, Screen(_("Sorry, I couldn't find that member.")))
        return None
    return member, other


async def on_ask_block(update: Update, context: AmserContext, press: AskBlock) -> None:
    found = await _block_target(update, context, press)
    if found is None:
        return
    member, other = found
    tr = tr_for(context.services, member)
    _ = tr.gettext
    text = _(
        "<b>Block {name}?</b>\nYou won't be matched or introduced again, and no messages "
        "will pass between you. {name} won't be told."
    ).format(name=name_of(other, tr))
    b = Buttons(context.services, member.telegram_id or 0)
    yes = b(_("🚫 Yes, block"), Block(press.target, press.ident))
    await show(update, context, Screen(text, keyboard([yes, b(_("No, go back"), KeepUnblocked())])))


async def on_block(update: Update, context: AmserContext, press: Block) -> None:
    found = await _block_target(update, context, press)
    if found is None:
        return
    member, other = found
    services = context.services
    await services.blocks.block(member.id, other.id, services.clock.now())
    await forget_writing_to(context, member, other.id)
    if press.target is Target.INTRO:
        intro = await services.introductions.get(press.ident)
        if intro is not None:
            await retire_card(context, intro, member)  # the other's card is left: not told
    tr = tr_for(services, member)
    done = tr.gettext(
        "Done. {name} is blocked: you won't hear from them through Amser again, and they "
        "haven't been told. If anything about them worried you, please tell a coordinator."
    )
    await show(update, context, Screen(done.format(name=name_of(other, tr))))


async def on_keep_unblocked(update: Update, context: AmserContext, press: KeepUnblocked) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        _ = tr_for(context.services, member).gettext
        await show(update, context, Screen(_("Okay, nothing has changed.")))


async def block_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    _ = tr_for(context.services, member).gettext
    text = _(
        "To block someone, tap 🚫 Block on their listing or on your introduction to them. "
        "They won't be told, and you won't be matched, introduced or sent messages again."
    )
    await say(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    register_notice(app, ENDED, _render_ended)
    app.add_handler(CommandHandler("block", block_command, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            End: party_press(_end),
            AskBlock: on_ask_block,
            Block: on_block,
            KeepUnblocked: on_keep_unblocked,
        },
    )
