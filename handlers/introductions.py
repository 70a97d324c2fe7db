"""Introductions: "I can help" / "I'd like this", accepting, messages relayed through the bot,
contact shared only when both agree, ending, blocking, and ambassadors introducing members.

Button data (each signed for its recipient):
  in:start:<listing>   in:acc|dec|share|keep|msg|cancel|end:<introduction>
  bl:ask|do:intro|listing:<id>   bl:no
  brk:page:<offset>   brk:sug:<listing>   brk:pick:<listing>:<member>
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details
from handlers.cards import category_label, place_label
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    current_member,
    deliver,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    typed_answer,
    user_id,
)
from storage.introductions import Introduction
from storage.listings import Listing
from storage.members import Member

logger = logging.getLogger(__name__)

COMMANDS = (
    Command("introductions", N_("Your introductions to other members")),
    Command("block", N_("How to block someone")),
    Command("unanswered", N_("Requests still waiting for a helper"), Role.AMBASSADOR),
)

RELAY = "relay"
MESSAGE_MAX = 500
PAGE_SIZE = 10
HELPERS_SHOWN = 5


# --- texts shared by several screens ---------------------------------------------------------


def _name(member: Member | None) -> str:
    return escape((member.display_name if member else None) or "—")


def _about(listing: Listing | None, tr: Translator) -> list[str]:
    if listing is None:
        return []
    return [tr.gettext("About: “{title}”").format(title=escape(listing.title))]


def _summary(services: Services, other: Member, tr: Translator) -> list[str]:
    """What a member sees of someone before contact is shared: name, area, what they offer."""
    _ = tr.gettext
    return [
        _("Area: {area}").format(area=escape(details.area_label(services, other, tr))),
        _("Could offer: {offers}").format(offers=escape(details.offers_label(services, other, tr))),
        _("In their words: {text}").format(text=escape(other.offers_text or "—")),
    ]


# --- screens ---------------------------------------------------------------------------------


def proposal_screen(
    services: Services,
    intro: Introduction,
    viewer: Member,
    other: Member,
    listing: Listing | None,
    broker: Member | None,
) -> Screen:
    """Someone would like to be introduced: who they are, with Accept / Decline / Block."""
    assert viewer.telegram_id is not None
    tr = tr_for(services, viewer)
    _ = tr.gettext
    if intro.brokered_by is not None:
        heading = _("<b>{broker} would like to introduce you to {name}.</b>").format(
            broker=escape((broker.display_name if broker else None) or _("A coordinator")),
            name=_name(other),
        )
    elif listing is not None and listing.kind == "offer":
        heading = _("<b>{name} would like to take up your offer.</b>").format(name=_name(other))
    else:
        heading = _("<b>{name} would like to help with your request.</b>").format(name=_name(other))
    lines = [heading, *_about(listing, tr), "", *_summary(services, other, tr), ""]
    lines.append(
        _(
            "Would you like to be introduced? You can send each other messages through Amser, "
            "and your contact details stay private unless you both agree to share them."
        )
    )
    b = Buttons(services, viewer.telegram_id)
    return Screen(
        "\n".join(lines),
        keyboard(
            [b(_("✅ Accept"), "in", "acc", intro.id), b(_("Decline"), "in", "dec", intro.id)],
            [b(_("🚫 Block"), "bl", "ask", "intro", intro.id)],
        ),
    )


def introduction_screen(
    services: Services,
    intro: Introduction,
    viewer: Member,
    other: Member,
    listing: Listing | None,
) -> Screen:
    """An accepted introduction as one member sees it, with what they can do next."""
    assert viewer.telegram_id is not None
    tr = tr_for(services, viewer)
    _ = tr.gettext
    name = _name(other)
    lines = [
        _("<b>You're introduced to {name}.</b>").format(name=name),
        *_about(listing, tr),
        "",
        *_summary(services, other, tr),
        "",
    ]
    if intro.both_share:
        lines.append(_("You've both shared your Telegram contacts."))
    elif intro.shares(viewer.id):
        lines.append(
            _(
                "You've agreed to share your Telegram contact. It will be shown to {name} "
                "only when they agree too."
            ).format(name=name)
        )
    elif intro.shares(other.id):
        lines.append(
            _(
                "{name} would like to share Telegram contacts. Yours is only shown if you "
                "agree too."
            ).format(name=name)
        )
    else:
        lines.append(
            _(
                "You can send each other messages through Amser. Your Telegram contact is only "
                "shared if you both agree."
            )
        )
    b = Buttons(services, viewer.telegram_id)
    share_row = (
        []
        if intro.both_share
        else [
            b(_("📇 Share my Telegram contact"), "in", "share", intro.id),
            b(_("Not yet"), "in", "keep", intro.id),
        ]
    )
    return Screen(
        "\n".join(lines),
        keyboard(
            share_row,
            [
                b(_("💬 Send a message"), "in", "msg", intro.id),
                b(_("⏱ Log time"), "lg", "intro", intro.id),
            ],
            [
                b(_("End introduction"), "in", "end", intro.id),
                b(_("🚫 Block"), "bl", "ask", "intro", intro.id),
            ],
        ),
    )


def safety_advice(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
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


def contact_screen(
    services: Services, viewer: Member, other: Member, username: str | None
) -> Screen:
    _ = tr_for(services, viewer).gettext
    contact = f'<a href="tg://user?id={other.telegram_id}">{_name(other)}</a>'
    if username:
        contact += f" (@{escape(username)})"
    return Screen(
        "\n".join(
            [
                _("<b>You've both agreed to share contacts.</b>"),
                _("You can now talk to {contact} on Telegram directly.").format(contact=contact),
                "",
                _(
                    "Please remember: meet somewhere public the first time, and never handle "
                    "bank cards, PINs or cash."
                ),
            ]
        )
    )


def relay_prompt(services: Services, member: Member, other: Member, intro_id: int) -> Screen:
    assert member.telegram_id is not None
    _ = tr_for(services, member).gettext
    text = _(
        "Type your message to {name} below (up to {limit} characters). It goes through Amser, "
        "so your contact details stay private."
    ).format(name=_name(other), limit=MESSAGE_MAX)
    b = Buttons(services, member.telegram_id)
    return Screen(text, keyboard([b(_("Cancel"), "in", "cancel", intro_id)]))


# --- looking things up again on every press -------------------------------------------------


async def _listing_of(services: Services, intro: Introduction) -> Listing | None:
    return await services.listings.get(intro.listing_id) if intro.listing_id else None


async def _party(
    update: Update, context: AmserContext, intro_id: int
) -> tuple[Member, Introduction, Member] | None:
    """The presser, the introduction and the other member, if the presser is part of it."""
    member = await details.active_member(update, context)
    if member is None:
        return None
    services = context.services
    intro = await services.introductions.get(intro_id)
    other = await services.members.get(intro.other(member.id)) if intro else None
    if intro is None or other is None or not intro.involves(member.id):
        _ = tr_for(services, member).gettext
        await show(update, context, Screen(_("Sorry, I couldn't find that introduction.")))
        return None
    return member, intro, other


async def _open_between(services: Services, intro: Introduction, other: Member) -> bool:
    """Messages and contacts may pass only in an accepted introduction with no block."""
    return (
        intro.status == "accepted"
        and other.status is Status.ACTIVE
        and other.telegram_id is not None
        and not await services.blocks.is_blocked_either_way(intro.owner_id, intro.responder_id)
    )


# --- starting an introduction ----------------------------------------------------------------


async def _start(update: Update, context: AmserContext, listing_id: int) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    listing = await services.listings.get(listing_id)
    if listing is not None and listing.member_id == member.id:
        await say(
            update,
            context,
            Screen(_("This is your own listing, so there's nobody to introduce you to.")),
        )
        return
    owner = await services.members.get(listing.member_id) if listing else None
    if (
        listing is None
        or listing.status != "open"
        or owner is None
        or owner.status is not Status.ACTIVE
        or await services.blocks.is_blocked_either_way(member.id, owner.id)
    ):
        # The same words whether it closed, was matched or a block stands: a block is never shown.
        await say(
            update,
            context,
            Screen(
                _(
                    "Thank you for thinking of it! This one isn't open any more: it may have "
                    "been matched or closed already."
                )
            ),
        )
        return
    made = await services.introductions.create(
        listing.id, owner.id, member.id, services.clock.now()
    )
    intro = made.introduction
    await services.matching.accept(listing.id, member.id)  # if a match notice brought them here
    if made.created:
        await deliver(
            context, owner, proposal_screen(services, intro, owner, member, listing, None)
        )
        text = _(
            "Thank you! I've let {name} know, and I'll tell you when they reply. Your contact "
            "details stay private until you both agree to share them."
        )
    elif intro.status == "proposed":
        text = _(
            "You've already asked about this one. {name} has been told, and I'll let you know "
            "when they reply."
        )
    elif intro.status == "accepted":
        await say(update, context, introduction_screen(services, intro, member, owner, listing))
        return
    else:
        text = _("This introduction has already finished. Thank you for thinking of it!")
    await say(update, context, Screen(text.format(name=_name(owner))))


# --- accepting, declining, sharing, ending ---------------------------------------------------


async def _accept(update: Update, context: AmserContext, intro_id: int) -> None:
    found = await _party(update, context, intro_id)
    if found is None:
        return
    member, intro, other = found
    services = context.services
    _ = tr_for(services, member).gettext
    name = _name(other)
    if intro.status == "accepted":
        listing = await _listing_of(services, intro)
        await show(update, context, introduction_screen(services, intro, member, other, listing))
        return
    if intro.status != "proposed" or await services.blocks.is_blocked_either_way(
        intro.owner_id, intro.responder_id
    ):
        await show(update, context, Screen(_("This introduction has already finished.")))
        return
    result = await services.introductions.accept(intro.id, member.id, services.clock.now())
    if result.changed:
        await show(
            update,
            context,
            Screen(_("✅ Thank you! You're now introduced to {name}.").format(name=name)),
        )
        await _introduced(context, result.introduction)
    elif result.introduction.status == "proposed":
        await show(
            update,
            context,
            Screen(_("Thank you! I'll let you know when {name} says yes too.").format(name=name)),
        )
    else:
        await show(update, context, Screen(_("This introduction has already finished.")))


async def _introduced(context: AmserContext, intro: Introduction) -> None:
    """Both said yes: safety advice (once ever per member), then what they can do next."""
    services = context.services
    listing = await _listing_of(services, intro)
    owner = await services.members.get(intro.owner_id)
    responder = await services.members.get(intro.responder_id)
    if owner is None or responder is None:
        return
    for viewer, other in ((owner, responder), (responder, owner)):
        if viewer.telegram_id is None:
            continue
        if await services.introductions.mark_safety_advice(viewer.id, services.clock.now()):
            await deliver(context, viewer, safety_advice(services, viewer))
        await deliver(context, viewer, introduction_screen(services, intro, viewer, other, listing))
    await _tell_broker(context, intro, owner, responder, accepted=True)


async def _tell_broker(
    context: AmserContext, intro: Introduction, owner: Member, responder: Member, *, accepted: bool
) -> None:
    """An ambassador who suggested the introduction hears how it went."""
    services = context.services
    broker = await services.members.get(intro.brokered_by)
    if broker is None:
        return
    _ = tr_for(services, broker).gettext
    text = (
        _("✅ {owner} and {helper} have both said yes, and are now introduced. Thank you!")
        if accepted
        else _("{owner} and {helper} won't be introduced this time. Thank you for trying!")
    )
    await deliver(context, broker, Screen(text.format(owner=_name(owner), helper=_name(responder))))


async def _decline(update: Update, context: AmserContext, intro_id: int) -> None:
    found = await _party(update, context, intro_id)
    if found is None:
        return
    member, intro, other = found
    services = context.services
    _ = tr_for(services, member).gettext
    if intro.status == "proposed" and intro.has_accepted(member.id):
        # Only the one still asked may decline; the asker can end it instead.
        await show(
            update,
            context,
            Screen(_("I'm still waiting for {name} to reply.").format(name=_name(other))),
        )
        return
    result = await services.introductions.decline(intro.id, member.id, services.clock.now())
    if not result.changed:
        await show(update, context, Screen(_("This introduction has already finished.")))
        return
    await show(
        update,
        context,
        Screen(
            _(
                "That's fine. I won't introduce you this time, and I'll let {name} know kindly."
            ).format(name=_name(other))
        ),
    )
    if not await services.blocks.is_blocked_either_way(member.id, other.id):
        listing = await _listing_of(services, intro)
        await deliver(context, other, _declined_notice(services, other, listing))
    owner, responder = (member, other) if member.id == intro.owner_id else (other, member)
    await _tell_broker(context, intro, owner, responder, accepted=False)


def _declined_notice(services: Services, member: Member, listing: Listing | None) -> Screen:
    _ = tr_for(services, member).gettext
    title = escape(listing.title) if listing else "—"
    return Screen(
        _(
            "Thank you for being open to an introduction about “{title}”. It won't go ahead "
            "this time, and that's quite all right. Thank you for being part of {community}!"
        ).format(title=title, community=escape(services.config.community_name))
    )


async def _share(update: Update, context: AmserContext, intro_id: int, share: bool) -> None:
    found = await _party(update, context, intro_id)
    if found is None:
        return
    member, intro, other = found
    services = context.services
    _ = tr_for(services, member).gettext
    if not await _open_between(services, intro, other):
        await show(update, context, Screen(_("This introduction has already finished.")))
        return
    result = await services.introductions.set_share(
        intro.id, member.id, share, services.clock.now()
    )
    intro = result.introduction
    listing = await _listing_of(services, intro)
    await show(update, context, introduction_screen(services, intro, member, other, listing))
    if not (share and result.changed):
        return
    if intro.both_share:
        # Only the press that completed the agreement gets here, so each contact goes out once.
        await deliver(
            context,
            member,
            contact_screen(services, member, other, await _username(context, other)),
        )
        await deliver(
            context, other, contact_screen(services, other, member, _presser_username(update))
        )
    else:
        await deliver(context, other, introduction_screen(services, intro, other, member, listing))


def _presser_username(update: Update) -> str | None:
    return update.effective_user.username if update.effective_user else None


async def _username(context: AmserContext, member: Member) -> str | None:
    """The member's @username if Telegram tells us; nothing is stored."""
    if member.telegram_id is None:
        return None
    try:
        chat = await context.bot.get_chat(member.telegram_id)
    except (BadRequest, Forbidden):
        return None
    return chat.username


async def _end(update: Update, context: AmserContext, intro_id: int) -> None:
    found = await _party(update, context, intro_id)
    if found is None:
        return
    member, intro, other = found
    services = context.services
    _ = tr_for(services, member).gettext
    result = await services.introductions.end(intro.id, member.id, services.clock.now())
    community = escape(services.config.community_name)
    if not result.changed:
        await show(update, context, Screen(_("This introduction has already finished.")))
        return
    await show(
        update,
        context,
        Screen(
            _("This introduction has ended. Thank you for being part of {community}!").format(
                community=community
            )
        ),
    )
    if not await services.blocks.is_blocked_either_way(member.id, other.id):
        await deliver(context, other, _ended_notice(services, other, member))


def _ended_notice(services: Services, recipient: Member, ender: Member) -> Screen:
    _ = tr_for(services, recipient).gettext
    return Screen(
        _(
            "{name} has ended your introduction. Thank you both for being part of {community}!"
        ).format(name=_name(ender), community=escape(services.config.community_name))
    )


# --- relayed messages ------------------------------------------------------------------------


async def _ask_for_message(update: Update, context: AmserContext, intro_id: int) -> None:
    found = await _party(update, context, intro_id)
    if found is None:
        return
    member, intro, other = found
    services = context.services
    if not await _open_between(services, intro, other):
        await say(update, context, _undeliverable(services, member))
        return
    member = await services.members.update(
        member.id, services.clock.now(), step=f"{RELAY}:{intro.id}"
    )
    await say(update, context, relay_prompt(services, member, other, intro.id))


def relayed_message(
    services: Services, intro: Introduction, sender: Member, recipient: Member, text: str
) -> Screen:
    """A member's words passed on, escaped, with Reply (and Block) for the recipient."""
    assert recipient.telegram_id is not None
    _ = tr_for(services, recipient).gettext
    b = Buttons(services, recipient.telegram_id)
    heading = _("<b>Message from {name} via Amser:</b>").format(name=_name(sender))
    return Screen(
        f"{heading}\n\n{escape(text)}",
        keyboard(
            [
                b(_("↩️ Reply"), "in", "msg", intro.id),
                b(_("🚫 Block"), "bl", "ask", "intro", intro.id),
            ]
        ),
    )


def _undeliverable(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    return Screen(
        _(
            "Sorry, I can't pass messages on in this introduction any more. "
            "Thank you for being part of {community}."
        ).format(community=escape(services.config.community_name))
    )


async def _cancel_message(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is not None and (member.step or "").startswith(f"{RELAY}:"):
        await context.services.members.update(member.id, context.services.clock.now(), step=None)
    await show(update, context, Screen(_("Okay, nothing was sent.")))


async def handle_relay(update: Update, context: AmserContext, member: Member) -> None:
    """A typed message while the member is writing to someone they were introduced to."""
    services = context.services
    _ = tr_for(services, member).gettext
    assert update.message is not None
    _prefix, _sep, rest = (member.step or "").partition(":")
    intro = await services.introductions.get(int(rest)) if rest.isdigit() else None
    other = (
        await services.members.get(intro.other(member.id))
        if intro is not None and intro.involves(member.id)
        else None
    )
    if intro is None or other is None or not await _open_between(services, intro, other):
        await services.members.update(member.id, services.clock.now(), step=None)
        await say(update, context, _undeliverable(services, member))
        return
    prompt = relay_prompt(services, member, other, intro.id)
    text, problem = typed_answer(update.message, tr_for(services, member), MESSAGE_MAX)
    if problem is not None:
        await say(update, context, prompt.after(problem))
        return
    await services.members.update(member.id, services.clock.now(), step=None)
    delivered = await deliver(context, other, relayed_message(services, intro, member, other, text))
    assert member.telegram_id is not None
    mine = Buttons(services, member.telegram_id)
    if delivered:
        await say(
            update,
            context,
            Screen(
                _("✅ Sent to {name}.").format(name=_name(other)),
                keyboard([mine(_("💬 Send another message"), "in", "msg", intro.id)]),
            ),
        )
    else:
        await say(
            update,
            context,
            Screen(
                _("Sorry, I couldn't deliver that to {name} just now.").format(name=_name(other))
            ),
        )


# --- blocking --------------------------------------------------------------------------------


async def _block_target(
    update: Update, context: AmserContext, member: Member, kind: str, ident: int
) -> Member | None:
    services = context.services
    _ = tr_for(services, member).gettext
    other_id: int | None = None
    if kind == "intro":
        intro = await services.introductions.get(ident)
        if intro is not None and intro.involves(member.id):
            other_id = intro.other(member.id)
    elif kind == "listing":
        listing = await services.listings.get(ident)
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
    return other


async def on_block_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    member = await details.active_member(update, context)
    if member is None or member.telegram_id is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    if parts == ["no"]:
        await show(update, context, Screen(_("Okay, nothing has changed.")))
        return
    if len(parts) != 3 or parts[0] not in ("ask", "do") or parts[1] not in ("intro", "listing"):
        return
    if not parts[2].isdigit():
        return
    other = await _block_target(update, context, member, parts[1], int(parts[2]))
    if other is None:
        return
    name = _name(other)
    if parts[0] == "ask":
        b = Buttons(services, member.telegram_id)
        text = _(
            "<b>Block {name}?</b>\nYou won't be matched or introduced again, and no messages "
            "will pass between you. {name} won't be told."
        ).format(name=name)
        await show(
            update,
            context,
            Screen(
                text,
                keyboard(
                    [
                        b(_("🚫 Yes, block"), "bl", "do", parts[1], parts[2]),
                        b(_("No, go back"), "bl", "no"),
                    ]
                ),
            ),
        )
        return
    await services.blocks.block(member.id, other.id, services.clock.now())
    if (member.step or "").startswith(f"{RELAY}:"):
        await services.members.update(member.id, services.clock.now(), step=None)
    await show(
        update,
        context,
        Screen(
            _(
                "Done. {name} is blocked: you won't hear from them through Amser again, and they "
                "haven't been told. If anything about them worried you, please tell a coordinator."
            ).format(name=name)
        ),
    )


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


# --- a member's own introductions -------------------------------------------------------------


async def introductions_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    active = await services.introductions.active_for(member.id, limit=PAGE_SIZE)
    if not active:
        await say(update, context, Screen(_("You have no introductions at the moment.")))
        return
    for intro in active:
        other = await services.members.get(intro.other(member.id))
        if other is None:
            continue
        listing = await _listing_of(services, intro)
        if intro.status == "accepted":
            screen = introduction_screen(services, intro, member, other, listing)
        elif intro.has_accepted(member.id):
            screen = Screen(
                "\n".join(
                    [
                        _("Waiting for {name} to reply.").format(name=_name(other)),
                        *_about(listing, tr_for(services, member)),
                    ]
                )
            )
        else:
            broker = await services.members.get(intro.brokered_by)
            screen = proposal_screen(services, intro, member, other, listing, broker)
        await say(update, context, screen)


# --- brokering by ambassadors and coordinators -----------------------------------------------


async def _broker(update: Update, context: AmserContext) -> tuple[Member | None, Translator] | None:
    """The ambassador or coordinator pressing, checked every time; None if they may not."""
    services = context.services
    member = await current_member(update, context)
    tr = translator(update, context, member)
    if services.role_of(user_id(update)) < Role.AMBASSADOR:
        await say(
            update,
            context,
            Screen(tr.gettext("Sorry, only ambassadors and coordinators can do that.")),
        )
        return None
    return member, tr


async def unanswered_command(update: Update, context: AmserContext) -> None:
    if await _broker(update, context) is not None:
        await _unanswered_page(update, context, 0, new=True)


async def _unanswered_page(
    update: Update, context: AmserContext, offset: int, *, new: bool
) -> None:
    services = context.services
    tr = translator(update, context, await current_member(update, context))
    _ = tr.gettext
    listings, more = await services.introductions.unanswered_requests(offset, PAGE_SIZE)
    if not listings:
        text = _("Every open request has a helper at the moment. Thank you!")
        await (say if new else show)(update, context, Screen(text))
        return
    now = services.clock.now()
    lines = [_("<b>Requests still waiting for a helper</b>, oldest first:"), ""]
    b = Buttons(services, user_id(update))
    rows = []
    for number, listing in enumerate(listings, start=offset + 1):
        days = max(0, (now - listing.created_at).days)
        waiting = tr.ngettext("waiting {count} day", "waiting {count} days", days).format(
            count=days
        )
        lines.append(
            f"{number}. <b>{escape(listing.title)}</b> — "
            f"{escape(category_label(services, listing.category, tr.language))}, "
            f"{escape(place_label(services, listing.place, tr))}, {waiting}"
        )
        rows.append(
            [
                b(
                    _("🤝 Suggest a helper for {number}").format(number=number),
                    "brk",
                    "sug",
                    listing.id,
                )
            ]
        )
    paging = []
    if offset > 0:
        paging.append(b(_("« Previous"), "brk", "page", max(0, offset - PAGE_SIZE)))
    if more:
        paging.append(b(_("More »"), "brk", "page", offset + PAGE_SIZE))
    await (say if new else show)(update, context, Screen("\n".join(lines), keyboard(*rows, paging)))


async def _suggest(update: Update, context: AmserContext, tr: Translator, listing_id: int) -> None:
    services = context.services
    _ = tr.gettext
    b = Buttons(services, user_id(update))
    back = [b(_("« Back to the list"), "brk", "page", 0)]
    listing = await services.listings.get(listing_id)
    if listing is None or listing.status != "open" or listing.kind != "request":
        await show(update, context, Screen(_("This request isn't open any more."), keyboard(back)))
        return
    category = escape(category_label(services, listing.category, tr.language))
    helper_ids = await services.introductions.possible_helpers(listing, HELPERS_SHOWN)
    helpers = [m for m in [await services.members.get(i) for i in helper_ids] if m is not None]
    lines = [
        _("<b>Who could help with</b> “{title}”?").format(title=escape(listing.title)),
        f"{category}, {escape(place_label(services, listing.place, tr))}",
        "",
    ]
    if not helpers:
        lines.append(
            _("Nobody who offers {category} can be introduced for this at the moment.").format(
                category=category
            )
        )
        await show(update, context, Screen("\n".join(lines), keyboard(back)))
        return
    for helper in helpers:
        lines.append(
            f"• <b>{_name(helper)}</b> — {escape(details.area_label(services, helper, tr))}: "
            f"{escape(details.offers_label(services, helper, tr))}"
        )
    lines += ["", _("Tap someone to ask them both whether they'd like to be introduced.")]
    rows = [
        [
            b(
                _("Introduce {name}").format(name=helper.display_name or "—"),
                "brk",
                "pick",
                listing.id,
                helper.id,
            )
        ]
        for helper in helpers
    ]
    await show(update, context, Screen("\n".join(lines), keyboard(*rows, back)))


async def _pick(
    update: Update,
    context: AmserContext,
    broker: Member | None,
    tr: Translator,
    listing_id: int,
    helper_id: int,
) -> None:
    services = context.services
    _ = tr.gettext
    if broker is None or broker.status is not Status.ACTIVE:
        await say(
            update,
            context,
            Screen(
                _(
                    "Please finish joining first with /start, so members can see who introduced "
                    "them."
                )
            ),
        )
        return
    listing = await services.listings.get(listing_id)
    owner = await services.members.get(listing.member_id) if listing else None
    helper = await services.members.get(helper_id)
    if (
        listing is None
        or listing.status != "open"
        or owner is None
        or owner.status is not Status.ACTIVE
        or helper is None
        or helper.status is not Status.ACTIVE
        or helper.id == owner.id
        or await services.blocks.is_blocked_either_way(owner.id, helper.id)
    ):
        await show(update, context, Screen(_("Sorry, that introduction isn't possible any more.")))
        return
    made = await services.introductions.create(
        listing.id, owner.id, helper.id, services.clock.now(), brokered_by=broker.id
    )
    if not made.created:
        await show(
            update,
            context,
            Screen(
                _("{name} has already been put in touch about this request.").format(
                    name=_name(helper)
                )
            ),
        )
        return
    intro = made.introduction
    for viewer, other in ((owner, helper), (helper, owner)):
        await deliver(
            context, viewer, proposal_screen(services, intro, viewer, other, listing, broker)
        )
    await show(
        update,
        context,
        Screen(
            _(
                "Thank you! I've asked {owner} and {helper} whether they'd like to be introduced. "
                "Nothing happens unless they both say yes."
            ).format(owner=_name(owner), helper=_name(helper))
        ),
    )


async def on_broker_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    checked = await _broker(update, context)
    if checked is None:
        return
    broker, tr = checked
    numbers = [int(part) for part in parts[1:] if part.isdigit()]
    if len(numbers) != len(parts) - 1:
        return
    if parts[0] == "page" and len(numbers) == 1:
        await _unanswered_page(update, context, numbers[0], new=False)
    elif parts[0] == "sug" and len(numbers) == 1:
        await _suggest(update, context, tr, numbers[0])
    elif parts[0] == "pick" and len(numbers) == 2:
        await _pick(update, context, broker, tr, numbers[0], numbers[1])


# --- wiring ----------------------------------------------------------------------------------


async def on_introduction_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    if len(parts) != 2 or not parts[1].isdigit():
        return
    action, ident = parts[0], int(parts[1])
    if action == "start":
        await _start(update, context, ident)
    elif action == "acc":
        await _accept(update, context, ident)
    elif action == "dec":
        await _decline(update, context, ident)
    elif action in ("share", "keep"):
        await _share(update, context, ident, share=action == "share")
    elif action == "msg":
        await _ask_for_message(update, context, ident)
    elif action == "cancel":
        await _cancel_message(update, context)
    elif action == "end":
        await _end(update, context, ident)


def register(app: AmserApplication) -> None:
    app.add_handler(
        CommandHandler("introductions", introductions_command, filters.ChatType.PRIVATE)
    )
    app.add_handler(CommandHandler("block", block_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("unanswered", unanswered_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("in", on_introduction_button))
    app.add_handler(button_handler("bl", on_block_button))
    app.add_handler(button_handler("brk", on_broker_button))
    app.input_handlers[RELAY] = handle_relay
