"""A member's details (name, area, what they offer, what matters): asked when joining, edited
from /profile. The member's `step` says which question we are waiting on, so a restart
never loses the place."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import (
    TEXT_STEPS,
    Status,
    Step,
    parse_step,
    reminder_key,
    status_after_joining,
    step_after,
    step_before,
)
from bot.domain.text import NAME_MAX, SHORT_TEXT_MAX, TextRejected, clean_line
from bot.runtime import menus
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import admin
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    current_member,
    keyboard,
    pairs,
    say,
    show,
    translator,
    typed_answer,
)
from handlers.menu import back_to_menu, main_menu
from storage.members import ELSEWHERE, Member

COMMANDS = (Command("profile", N_("See and change your details")),)

REMINDER_KIND = "onboarding_reminder"

# Which column each free-text step fills, and how long it may be.
TEXT_FIELDS = {
    Step.NAME: ("display_name", NAME_MAX),
    Step.OFFERS_TEXT: ("offers_text", SHORT_TEXT_MAX),
    Step.MATTERS: ("what_matters", SHORT_TEXT_MAX),
}


def area_label(services: Services, member: Member, tr: Translator) -> str:
    if member.area == ELSEWHERE:
        return tr.gettext("Somewhere else")
    area = services.config.area(member.area or "")
    return area.label(tr.language) if area else "—"


def offers_label(services: Services, member: Member, tr: Translator) -> str:
    labels = [
        category.label(tr.language)
        for category in services.config.categories
        if category.key in member.offer_categories
    ]
    return ", ".join(labels) or "—"


def question(services: Services, member: Member, step: Step, first_name: str = "") -> Screen:
    """The screen that asks for one detail, with Back and the step's own buttons."""
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    editing = member.status is not Status.JOINING
    # Back from the first question while joining returns to the consent screen (joining's).
    first = not editing and step_before(step) is None
    back = [b(_("« Back"), *(("ob", "consent") if first else ("st", step, "back")))]
    if step is Step.NAME:
        text = _(
            "What name would you like other members to see?\n"
            "It doesn't need to be your full name: a first name or a nickname is fine "
            "(up to {limit} characters). Type it below."
        ).format(limit=NAME_MAX)
        suggestion = _suggested_name(first_name)
        rows = (
            [[b(_("Use “{name}”").format(name=suggestion), "st", step, "tg")]] if suggestion else []
        )
        return Screen(text, keyboard(*rows, back))
    if step is Step.AREA:
        text = _("Which area are you in? It helps us find people near you.")
        choices = [
            b(
                ("✓ " if member.area == area.key else "") + area.label(tr.language),
                "st",
                step,
                "set",
                area.key,
            )
            for area in services.config.areas
        ]
        elsewhere = ("✓ " if member.area == ELSEWHERE else "") + _("Somewhere else")
        choices.append(b(elsewhere, "st", step, "set", ELSEWHERE))
        return Screen(text, keyboard(*pairs(choices), back))
    if step is Step.OFFERS:
        text = _(
            "Everyone has something to give. What could you offer others?\n"
            "Tap all that fit, then tap Done."
        )
        # Each button says what the tap will make true, so a repeated tap changes nothing.
        offered = set(member.offer_categories)
        choices = [
            b(
                ("✓ " if category.key in offered else "") + category.label(tr.language),
                "st",
                step,
                "off" if category.key in offered else "on",
                category.key,
            )
            for category in services.config.categories
        ]
        return Screen(text, keyboard(*pairs(choices), [b(_("Done ✅"), "st", step, "done")], back))
    if step is Step.OFFERS_TEXT:
        text = _(
            "Anything else you could offer, in your own words? "
            "For example: “I can help with letters in Welsh”.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.offers_text
    else:
        text = _(
            "Last one, and it's up to you: what matters to you? "
            "For example: meeting people, getting out more, learning something new. "
            "There's no need to tell us anything about your health.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.what_matters
    if editing and current:
        text += "\n\n" + _("Now: <i>{text}</i>").format(text=escape(current))
    skip = b(_("Keep it as it is") if editing else _("Skip"), "st", step, "skip")
    clear = [b(_("Remove it"), "st", step, "clear")] if editing and current else []
    return Screen(text, keyboard([skip], clear, back))


def _suggested_name(first_name: str) -> str | None:
    try:
        return clean_line(first_name, NAME_MAX)
    except TextRejected:
        return None


def _first_name(update: Update) -> str:
    return update.effective_user.first_name if update.effective_user else ""


async def ask(
    update: Update,
    context: AmserContext,
    member: Member,
    *,
    note: str | None = None,
    new: bool = False,
) -> None:
    """Show the question the member is on; a new message when the old one has scrolled away."""
    step = parse_step(member.step)
    assert step is not None
    screen = question(context.services, member, step, _first_name(update))
    if note:
        screen = screen.after(note)
    await (say if new else show)(update, context, screen)


def profile(services: Services, member: Member) -> Screen:
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    lines = [
        _("<b>Your profile</b>"),
        _("Name: {name}").format(name=escape(member.display_name or "—")),
        _("Area: {area}").format(area=escape(area_label(services, member, tr))),
        _("You could offer: {offers}").format(offers=escape(offers_label(services, member, tr))),
        _("In your words: {text}").format(text=escape(member.offers_text or "—")),
        _("What matters to you: {text}").format(text=escape(member.what_matters or "—")),
        "",
        _("Tap what you'd like to change."),
    ]
    options = [
        b(_("Name"), "pf", "edit", Step.NAME),
        b(_("Area"), "pf", "edit", Step.AREA),
        b(_("What I offer"), "pf", "edit", Step.OFFERS),
        b(_("In my words"), "pf", "edit", Step.OFFERS_TEXT),
        b(_("What matters"), "pf", "edit", Step.MATTERS),
        b(_("🔔 Match notices"), "mt", "show"),
    ]
    return Screen("\n".join(lines), keyboard(*pairs(options), back_to_menu(services, member)))


async def active_member(update: Update, context: AmserContext) -> Member | None:
    """The member if they have finished joining; otherwise tell them where they are."""
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return None
    if member.status is Status.JOINING:
        await ask(
            update,
            context,
            member,
            new=True,
            note=_("Let's finish joining first. Here's where we were:"),
        )
        return None
    if member.status is Status.PENDING:
        await say(update, context, Screen(pending_text(context.services, member)))
        return None
    if member.status is Status.SUSPENDED:
        await say(
            update,
            context,
            Screen(
                _(
                    "Your membership is paused at the moment. A coordinator will be in touch; "
                    "you can still use /privacy, /mydata and /forget."
                )
            ),
        )
        return None
    return member


def pending_text(services: Services, member: Member) -> str:
    _ = services.catalogs[member.language].gettext
    return _(
        "Thank you, {name}! A coordinator will look at your request to join soon, and we'll "
        "message you here. You don't need to do anything else."
    ).format(name=escape(member.display_name or ""))


async def profile_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await say(update, context, profile(context.services, member))


async def on_profile_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    step = parse_step(parts[1]) if len(parts) == 2 and parts[0] == "edit" else None
    if step is None:
        await show(update, context, profile(services, member))
        return
    member = await services.members.update(member.id, services.clock.now(), step=step)
    await ask(update, context, member)


async def on_step_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await current_member(update, context)
    if member is None or member.status not in (Status.JOINING, Status.ACTIVE):
        await say(
            update,
            context,
            Screen(
                translator(update, context, member).gettext(
                    "That button is from an earlier message. Send /start to carry on."
                )
            ),
        )
        return
    current = parse_step(member.step)
    if current is None or len(parts) < 2 or parts[0] != current:
        await _stale(update, context, member)
        return
    _step, action, *rest = parts
    now = services.clock.now()
    if action == "back":
        await _go_back(update, context, member, current)
    elif current is Step.NAME and action == "tg":
        name = _suggested_name(_first_name(update))
        if name is None:
            await ask(update, context, member)
            return
        member = await services.members.update(member.id, now, display_name=name)
        await _advance(update, context, member, current)
    elif current is Step.AREA and action == "set" and rest and _known_area(services, rest[0]):
        member = await services.members.update(member.id, now, area=rest[0])
        await _advance(update, context, member, current)
    elif (
        current is Step.OFFERS
        and action in ("on", "off")
        and rest
        and services.config.category(rest[0])
    ):
        member = await services.members.set_offer_category(member.id, rest[0], action == "on", now)
        await ask(update, context, member)
    elif (current is Step.OFFERS and action == "done") or (
        current in (Step.OFFERS_TEXT, Step.MATTERS) and action == "skip"
    ):
        await _advance(update, context, member, current)
    elif current in (Step.OFFERS_TEXT, Step.MATTERS) and action == "clear":
        column, _limit = TEXT_FIELDS[current]
        member = await services.members.update(member.id, now, **{column: None})
        await _advance(update, context, member, current)
    else:
        await _stale(update, context, member)


def _known_area(services: Services, key: str) -> bool:
    return key == ELSEWHERE or services.config.area(key) is not None


async def _stale(update: Update, context: AmserContext, member: Member) -> None:
    _ = context.services.catalogs[member.language].gettext
    if member.step is None:
        if member.status is Status.ACTIVE:
            await say(update, context, main_menu(context.services, member))
        return
    await ask(
        update,
        context,
        member,
        new=True,
        note=_("That button is from an earlier question. Here's where we are now:"),
    )


async def handle_input(update: Update, context: AmserContext, member: Member) -> None:
    """A message while we wait for an answer: save it if it fits, otherwise ask again kindly."""
    services = context.services
    _ = services.catalogs[member.language].gettext
    step = parse_step(member.step)
    assert step is not None and update.message is not None
    if step not in TEXT_STEPS:
        await ask(
            update, context, member, new=True, note=_("Please choose from the buttons below.")
        )
        return
    column, limit = TEXT_FIELDS[step]
    value, problem = typed_answer(
        update.message, services.catalogs[member.language], limit, one_line=step is Step.NAME
    )
    if problem is not None:
        await ask(update, context, member, new=True, note=problem)
        return
    member = await services.members.update(member.id, services.clock.now(), **{column: value})
    await _advance(update, context, member, step, new=True)


async def _go_back(update: Update, context: AmserContext, member: Member, step: Step) -> None:
    services = context.services
    now = services.clock.now()
    if member.status is not Status.JOINING:
        member = await services.members.update(member.id, now, step=None)
        await show(update, context, profile(services, member))
        return
    previous = step_before(step)
    if previous is None:
        await ask(update, context, member)
        return
    member = await services.members.update(member.id, now, step=previous)
    await ask(update, context, member)


async def _advance(
    update: Update, context: AmserContext, member: Member, step: Step, *, new: bool = False
) -> None:
    """After an answer: the next question, the end of joining, or back to the profile."""
    services = context.services
    now = services.clock.now()
    if member.status is not Status.JOINING:
        member = await services.members.update(member.id, now, step=None)
        screen = profile(services, member)
        await (say if new else show)(update, context, screen)
        return
    following = step_after(step)
    if following is not None:
        member = await services.members.update(member.id, now, step=following)
        await schedule_join_reminder(services, member)
        await ask(update, context, member, new=new)
        return
    await finish_joining(update, context, member, new=new)


async def schedule_join_reminder(services: Services, member: Member) -> None:
    """Remind a member who stops half-way; each answer pushes the reminder back."""
    due_at = services.clock.now() + timedelta(hours=services.config.onboarding_reminder_hours)
    await services.due_work.schedule(
        reminder_key(member.id), REMINDER_KIND, due_at, member_id=member.id
    )


async def finish_joining(
    update: Update, context: AmserContext, member: Member, *, new: bool
) -> None:
    services = context.services
    now = services.clock.now()
    assert member.telegram_id is not None
    role = services.role_of(member.telegram_id)
    status = status_after_joining(services.config.require_approval, role)
    # Starter credits first: if anything after fails, finishing again gives them no twice, and
    # nobody becomes a member without them.
    starter = await admin.give_starter_credits(services, member) if status is Status.ACTIVE else 0
    member = await services.members.update(
        member.id, now, status=status, step=None, paused=False, joined_at=now
    )
    await services.due_work.cancel(reminder_key(member.id))
    assert member.telegram_id is not None
    await menus.publish_member_menu(context.application, member.telegram_id, member.language)
    if status is Status.PENDING:
        await (say if new else show)(update, context, Screen(pending_text(services, member)))
        await admin.tell_admins_about(context, member)
        return
    await (say if new else show)(update, context, admin.welcome_member(services, member, starter))
    await say(update, context, main_menu(services, member))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("profile", profile_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("pf", on_profile_button))
    app.add_handler(button_handler("st", on_step_button))
