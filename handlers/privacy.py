"""Privacy: what we hold and why (/privacy), a copy of it (/mydata), erasure (/forget)."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.personal_data import member_export
from bot.runtime import menus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from handlers import wellbeing
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    hand_over,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.credit_common import hours_words
from handlers.donate import (
    Given,
    already_given_note,
    changed_note,
    donation_key,
    donation_token,
    give_to_pot,
    given_note,
)
from handlers.menu import back_to_menu
from storage.members import Member
from storage.moderation import SanctionKind

COMMANDS = (
    Command("privacy", N_("What we hold about you, and why")),
    Command("mydata", N_("Get a copy of everything we hold about you")),
    Command("forget", N_("Erase your details")),
)


class ShowPrivacy(ButtonData, prefix="priv:show"):
    pass


class SendMyData(ButtonData, prefix="priv:data"):
    pass


class AskToForget(ButtonData, prefix="priv:forget"):
    pass


class GiveFirst(ButtonData, prefix="priv:give"):
    minutes: int
    token: str  # one per offer shown: pressing it twice gives once


class DontGive(ButtonData, prefix="priv:skip"):
    pass


class Erase(ButtonData, prefix="priv:erase"):
    pass


class Keep(ButtonData, prefix="priv:keep"):
    pass


def privacy_screen(
    update: Update, context: AmserContext, member: Member | None, *, answering: bool = False
) -> Screen:
    """What we hold and why; `answering`: the member said yes to the wellbeing questions."""
    _ = translator(update, context, member).gettext
    text = _(
        "<b>Your privacy</b>\n"
        "{community} keeps only what it needs to run the time bank:\n"
        "• your Telegram id and @username (if you have one), so the bot can message you and "
        "coordinators can find you\n"
        "• the name you chose, your rough area, and what you could offer: shown to other "
        "members so you can help each other\n"
        "• what matters to you, if you told us: seen only by coordinators and ambassadors\n"
        "• the language you chose\n\n"
        "We never show your phone number or username to anyone unless you agree. "
        "We don't sell or share your details.\n\n"
        "You can get a copy of everything we hold with /mydata, change it with /profile, "
        "and erase it with /forget."
    ).format(community=escape(context.services.config.community_name))
    if member is None:
        return Screen(text + "\n\n" + _("Right now we hold nothing about you."))
    b = Buttons(context.services, user_id(update))
    active = member.status is Status.ACTIVE
    home = back_to_menu(context.services, member) if active else []
    if answering:
        text += "\n\n" + _(
            "You answer the wellbeing questions: your answers are kept apart from your name, "
            "and nobody here sees them."
        )
    return Screen(
        text,
        keyboard(
            [b(_("📄 Send me my data"), SendMyData())],
            # Anyone who said yes can stop (suspended too); only active members can say yes.
            [b(_("🌱 Wellbeing questions"), wellbeing.ShowWellbeing())]
            if active or answering
            else [],
            [b(_("🗑 Erase my details"), AskToForget())],
            home,
        ),
    )


async def privacy_for(update: Update, context: AmserContext, member: Member | None) -> Screen:
    """The privacy screen, saying whether the member answers the wellbeing questions."""
    answering = member is not None and await context.services.wellbeing.consented(member.id)
    return privacy_screen(update, context, member, answering=answering)


async def banned(context: AmserContext, member: Member) -> bool:
    """Whether a ban is in force: erasing then keeps a note so that they can't join again."""
    held = await context.services.moderation.in_force(member.id)
    return held is not None and held.kind is SanctionKind.BAN


async def forget_screen(update: Update, context: AmserContext, member: Member) -> Screen:
    _ = tr_for(context.services, member).gettext
    b = Buttons(context.services, user_id(update))
    if await banned(context, member):
        text = _(
            "<b>Erase your details?</b>\n"
            "This removes your name, area, what you offer and everything else we hold about "
            "you. It can't be undone. Because you have been removed from the time bank, we "
            "keep one thing: a scrambled note of your Telegram account (not your name, nor "
            "anything you told us), so that it can't join again."
        )
    else:
        text = _(
            "<b>Erase your details?</b>\n"
            "This removes your name, area, what you offer and everything else we hold about you. "
            "It can't be undone, but you'd be very welcome to join again."
        )
    return Screen(
        text, keyboard([b(_("Yes, erase my details"), Erase())], [b(_("No, keep me"), Keep())])
    )


def give_first_screen(context: AmserContext, member: Member, balance: int) -> Screen:
    """Before erasing: offer to give a positive balance to the community pot."""
    tr = tr_for(context.services, member)
    _ = tr.gettext
    hours = hours_words(tr, balance)
    b = Buttons(context.services, member.telegram_id or 0)
    return Screen(
        _(
            "<b>Before you go</b>\n"
            "You have {hours} of time credits. Would you like to give them to the community pot "
            "first? They'd help a neighbour who can't easily earn hours."
        ).format(hours=hours),
        keyboard(
            [
                b(
                    _("🎁 Give my {hours} to the community pot first").format(hours=hours),
                    GiveFirst(balance, donation_token()),
                )
            ],
            [b(_("No, thanks"), DontGive())],
            [b(_("No, keep me"), Keep())],
        ),
    )


async def before_forgetting(update: Update, context: AmserContext, member: Member) -> Screen:
    """The offer to give hours to the pot when there are any, else the erasure question."""
    balance = await context.services.ledger.balance(member.id)
    if balance > 0 and member.telegram_id is not None:
        return give_first_screen(context, member, balance)
    return await forget_screen(update, context, member)


async def _give_then_forget(
    update: Update, context: AmserContext, member: Member, press: GiveFirst
) -> None:
    """Give the hours (once, however often the button is pressed), then ask about erasing;
    hours that came in meanwhile are offered again, never erased unasked."""
    services = context.services
    tr = tr_for(services, member)
    minutes = press.minutes
    if minutes <= 0:
        await show(update, context, await before_forgetting(update, context, member))
        return
    # The same giving as /donate's, keyed by this offer.
    given = await give_to_pot(services, member, minutes, donation_key(member.id, press.token))
    screen = await before_forgetting(update, context, member)
    notes = {
        Given.DONE: given_note(tr, minutes),
        Given.ALREADY: already_given_note(tr),
        Given.TOO_MUCH: changed_note(tr),
    }
    await show(update, context, screen.after(notes[given]))


async def privacy_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    await say(update, context, await privacy_for(update, context, member))


async def mydata_command(update: Update, context: AmserContext) -> None:
    await _send_data(update, context, await current_member(update, context))


async def forget_command(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    if member is None:
        await say(update, context, _nothing_held(update, context))
        return
    await say(update, context, await before_forgetting(update, context, member))


def _nothing_held(update: Update, context: AmserContext) -> Screen:
    _ = translator(update, context, None).gettext
    return Screen(_("We don't hold anything about you, so there's nothing to send or erase."))


async def _send_data(update: Update, context: AmserContext, member: Member | None) -> None:
    if member is None:
        await say(update, context, _nothing_held(update, context))
        return
    services = context.services
    _ = tr_for(services, member).gettext
    content = member_export(
        await services.members.personal_data(member.id),
        services.role_of(user_id(update)).name.lower(),
        services.clock.now(),
    )
    await hand_over(
        update, context, content, "amser-my-data.json", _("Here is everything we hold about you.")
    )


async def _member_or_privacy(update: Update, context: AmserContext) -> Member | None:
    """The member pressing; someone we hold nothing about sees the privacy screen again."""
    member = await current_member(update, context)
    if member is None:
        await show(update, context, privacy_screen(update, context, None))
    return member


async def on_show_privacy(update: Update, context: AmserContext, press: ShowPrivacy) -> None:
    member = await current_member(update, context)
    await show(update, context, await privacy_for(update, context, member))


async def on_send_my_data(update: Update, context: AmserContext, press: SendMyData) -> None:
    if (member := await _member_or_privacy(update, context)) is not None:
        await _send_data(update, context, member)


async def on_ask_to_forget(update: Update, context: AmserContext, press: AskToForget) -> None:
    if (member := await _member_or_privacy(update, context)) is not None:
        await show(update, context, await before_forgetting(update, context, member))


async def on_give_first(update: Update, context: AmserContext, press: GiveFirst) -> None:
    if (member := await _member_or_privacy(update, context)) is not None:
        await _give_then_forget(update, context, member, press)


async def on_dont_give(update: Update, context: AmserContext, press: DontGive) -> None:
    if (member := await _member_or_privacy(update, context)) is not None:
        await show(update, context, await forget_screen(update, context, member))


async def on_erase(update: Update, context: AmserContext, press: Erase) -> None:
    member = await _member_or_privacy(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    barred = await banned(context, member)
    await services.members.erase(member.id, services.clock.now())
    await services.reload_roles()  # a role given by chat went with them
    await menus.remove_member_menu(context.application, user_id(update))
    context.user_data.clear()
    if barred:
        text = _(
            "Your details have been erased. Only the scrambled note of your Telegram account "
            "is kept, so that it can't join {community} again."
        )
    else:
        text = _(
            "Your details have been erased. Thank you for being part of {community}. "
            "You're welcome back any time: just send /start."
        )
    text = text.format(community=escape(services.config.community_name))
    await show(update, context, Screen(text))


async def on_keep(update: Update, context: AmserContext, press: Keep) -> None:
    if (member := await _member_or_privacy(update, context)) is not None:
        _ = tr_for(context.services, member).gettext
        await show(update, context, Screen(_("Good, nothing has changed. We're glad you're here.")))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("privacy", privacy_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("mydata", mydata_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("forget", forget_command, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            ShowPrivacy: on_show_privacy,
            SendMyData: on_send_my_data,
            AskToForget: on_ask_to_forget,
            GiveFirst: on_give_first,
            DontGive: on_dont_give,
            Erase: on_erase,
            Keep: on_keep,
        },
    )
