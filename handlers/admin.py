"""Coordinators' tools: approving the members who are waiting to join."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.roles import Role
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, deliver, deliver_to, keyboard, say, show, tr_for, user_id
from handlers.credit_common import hours_words, today
from handlers.details import area_label, offers_label
from handlers.menu import main_menu, welcome
from storage.members import Member

COMMANDS = (Command("pending", N_("New members waiting to join"), Role.ADMIN),)
LIST_LIMIT = 10


class ShowPending(ButtonData, prefix="adm:pending"):
    pass


class Approve(ButtonData, prefix="adm:approve"):
    member: int


class Decline(ButtonData, prefix="adm:decline"):
    member: int


def admin_language(services: Services, member: Member | None) -> str:
    return member.language if member is not None else "en"


def applicant_card(services: Services, applicant: Member, admin_id: int, language: str) -> Screen:
    """Who is asking to join, with Approve and Decline for this coordinator."""
    tr = services.catalogs[language]
    _ = tr.gettext
    offers = offers_label(services, applicant, tr)
    text = "\n".join(
        [
            _("<b>Someone would like to join</b>"),
            _("Name: {name}").format(name=escape(applicant.display_name or "—")),
            _("Area: {area}").format(area=escape(area_label(services, applicant, tr))),
            _("Could offer: {offers}").format(offers=escape(offers)),
            _("In their words: {text}").format(text=escape(applicant.offers_text or "—")),
        ]
    )
    b = Buttons(services, admin_id)
    return Screen(
        text,
        keyboard(
            [
                b(_("✅ Approve"), Approve(applicant.id)),
                b(_("Decline"), Decline(applicant.id)),
            ]
        ),
    )


async def tell_admins_about(context: AmserContext, applicant: Member) -> None:
    """Let every coordinator who uses the bot know someone is waiting."""
    services = context.services
    for admin_id in sorted(services.config.admins):
        admin = await services.members.by_telegram_id(admin_id)
        card = applicant_card(services, applicant, admin_id, admin_language(services, admin))
        await deliver_to(context, admin_id, card)


async def pending_command(update: Update, context: AmserContext) -> None:
    if await refused(update, context):
        return
    await _list_pending(update, context)


async def _list_pending(update: Update, context: AmserContext) -> None:
    services = context.services
    admin = await services.members.by_telegram_id(user_id(update))
    language = admin_language(services, admin)
    tr = services.catalogs[language]
    waiting = await services.members.with_status(Status.PENDING, limit=LIST_LIMIT)
    if not waiting:
        await say(update, context, Screen(tr.gettext("Nobody is waiting to join at the moment.")))
        return
    count = await services.members.count_with_status(Status.PENDING)
    header = tr.ngettext(
        "{count} person is waiting to join.", "{count} people are waiting to join.", count
    )
    await say(update, context, Screen(header.format(count=count)))
    for applicant in waiting:
        await say(update, context, applicant_card(services, applicant, user_id(update), language))


async def refused(update: Update, context: AmserContext) -> bool:
    """Checked on every command and button: only configured coordinators may act."""
    if context.services.role_of(user_id(update)) is Role.ADMIN:
        return False
    member = await context.services.members.by_telegram_id(user_id(update))
    _ = context.services.catalogs[admin_language(context.services, member)].gettext
    await say(update, context, Screen(_("Sorry, only coordinators can do that.")))
    return True


async def on_show_pending(update: Update, context: AmserContext, press: ShowPending) -> None:
    if not await refused(update, context):
        await _list_pending(update, context)


async def _applicant(
    update: Update, context: AmserContext, member_id: int
) -> tuple[Member, Translator] | None:
    """The applicant a coordinator's button names, if the presser is a coordinator and the
    applicant is still waiting (else they are told why not)."""
    if await refused(update, context):
        return None
    services = context.services
    admin = await services.members.by_telegram_id(user_id(update))
    tr = services.catalogs[admin_language(services, admin)]
    applicant = await services.members.get(member_id)
    if applicant is None or applicant.status is not Status.PENDING:
        await show(
            update, context, Screen(tr.gettext("This has already been dealt with. Thank you!"))
        )
        return None
    return applicant, tr


async def on_approve(update: Update, context: AmserContext, press: Approve) -> None:
    if (found := await _applicant(update, context, press.member)) is None:
        return
    applicant, tr = found
    services = context.services
    if await services.members.set_status_if(
        applicant.id, Status.PENDING, Status.ACTIVE, services.clock.now()
    ):
        await _welcome_approved(context, applicant.id)
    name = escape(applicant.display_name or "")
    await show(update, context, Screen(tr.gettext("✅ {name} is now a member.").format(name=name)))


async def on_decline(update: Update, context: AmserContext, press: Decline) -> None:
    if (found := await _applicant(update, context, press.member)) is None:
        return
    applicant, tr = found
    services = context.services
    # Erased only while still waiting: a second press, or an approval meanwhile, changes nothing.
    if await services.members.erase(applicant.id, services.clock.now(), only_if=Status.PENDING):
        await _tell_declined(context, applicant)
    text = tr.gettext("{name} was not approved, and their details have been erased.")
    await show(update, context, Screen(text.format(name=escape(applicant.display_name or ""))))


async def give_starter_credits(services: Services, member: Member) -> int:
    """Starter credits for a new member, once whatever happens (the key is theirs); returns
    the minutes given now, 0 if none are configured or they were given before."""
    minutes = services.config.starter_minutes
    if minutes <= 0:
        return 0
    given = await services.ledger.give_starter_credits(
        member.id, minutes, services.clock.now(), happened_on=today(services)
    )
    return given.transfer.amount if given.created else 0


def welcome_member(services: Services, member: Member, starter_minutes: int) -> Screen:
    """The welcome for someone who has just become a member, with the starter credits given."""
    screen = welcome(services, member)
    if starter_minutes <= 0:
        return screen
    tr = tr_for(services, member)
    starter = tr.gettext(
        "You've been given {hours} of starter credits to get going. Everyone has something "
        "to give, so when you help someone, you'll earn more."
    ).format(hours=hours_words(tr, starter_minutes))
    return Screen(f"{screen.text}\n\n{starter}", screen.markup)


async def _welcome_approved(context: AmserContext, member_id: int) -> None:
    member = await context.services.members.get(member_id)
    if member is None:
        return
    # Given straight after approval, before anything that talks to Telegram and could fail.
    screen = welcome_member(
        context.services, member, await give_starter_credits(context.services, member)
    )
    if await deliver(context, member, screen):
        await deliver(context, member, main_menu(context.services, member))


async def _tell_declined(context: AmserContext, applicant: Member) -> None:
    _ = tr_for(context.services, applicant).gettext
    text = _(
        "Thank you for wanting to join {community}. A coordinator wasn't able to approve your "
        "membership this time, so we haven't kept your details. If you'd like to talk about it, "
        "please get in touch with your time bank."
    ).format(community=escape(context.services.config.community_name))
    await deliver(context, applicant, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("pending", pending_command, filters.ChatType.PRIVATE))
    add_presses(app, {ShowPending: on_show_pending, Approve: on_approve, Decline: on_decline})
