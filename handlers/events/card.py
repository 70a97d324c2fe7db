"""How an event reads: its card (for members and for its organiser) and its time, in the
reader's language and the community's zone."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton

from bot.domain.events import ONLINE, Answer, EventStatus, has_started, places_left
from bot.domain.permissions import Action
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.access import member_may
from handlers.buttons import Buttons
from handlers.common import Screen, keyboard
from handlers.credit_common import babel_locale, hours_words
from handlers.events.buttons import (
    AddToCalendar,
    AskAnnounce,
    AskCancelEvent,
    CreditVolunteers,
    EditEvent,
    ListEvents,
    PosterCode,
    Reply,
    Volunteer,
    WhoCame,
)
from handlers.landing import start_link
from storage.events import Event, MyAnswer
from storage.members import Member

LINK_PREFIX = "event-"


def when_words(tr: Translator, event: Event) -> str:
    """ "Friday 2 April 2027, 19:30", in the community's zone, in the reader's language."""
    start = event.start
    day = format_date(start.date(), "EEEE d MMMM y", locale=babel_locale(tr))
    return tr.gettext("{day}, {time}").format(day=day, time=start.strftime("%H:%M"))


def area_words(services: Services, tr: Translator, area: str) -> str:
    if area == ONLINE:
        return tr.gettext("Online")
    choice = services.config.area(area)
    return choice.label(tr.language) if choice else area


def link(bot_username: str, event: Event) -> str:
    """The event's link to share: opening it shows the card (a newcomer joins first)."""
    return start_link(bot_username, f"{LINK_PREFIX}{event.id}")


def may_manage(services: Services, member: Member, event: Event) -> bool:
    """Its organiser (still an ambassador or admin) or any admin may edit or cancel it."""
    return member_may(services, member, Action.MANAGE_EVENTS) or (
        member_may(services, member, Action.EVENT) and event.created_by == member.id
    )


def card_text(
    services: Services, tr: Translator, event: Event, *, also: Translator | None = None
) -> str:
    """What an event is: title, when, where, what kind, the description, places, volunteers;
    with `also`, each line in that language too (for a group, which is everyone's)."""
    details = event.details

    def line(words: Callable[[Translator], str]) -> str:
        first = words(tr)
        second = words(also) if also is not None else first
        return first if second == first else f"{first}\n{second}"

    def kind(t: Translator) -> str:
        choice = services.config.category(details.kind)
        return t.gettext("🏷 {kind}").format(kind=choice.label(t.language)) if choice else ""

    def place(t: Translator) -> str:
        where = f"{escape(details.place)} ({area_words(services, t, details.area)})"
        return t.gettext("📍 {place}").format(place=where)

    lines = [
        f"<b>📅 {escape(details.title)}</b>",
        line(lambda t: t.gettext("🕖 {when}").format(when=when_words(t, event))),
        line(place),
    ]
    if services.config.category(details.kind) is not None:
        lines.append(line(kind))
    lines += ["", escape(details.description), ""]
    lines.append(line(lambda t: places_words(t, event)))
    if details.volunteers_wanted:
        lines.append(line(lambda t: volunteers_words(t, event)))
    if event.status is EventStatus.CANCELLED:
        lines += ["", line(lambda t: t.gettext("<b>This event has been cancelled.</b>"))]
    return "\n".join(lines)


def places_words(tr: Translator, event: Event) -> str:
    left = places_left(event.details.capacity, event.with_a_place)
    if left is None:
        n = event.with_a_place
        return tr.ngettext("👥 {n} going", "👥 {n} going", n).format(n=n)
    if left:
        return tr.ngettext("👥 {n} place left", "👥 {n} places left", left).format(n=left)
    return tr.gettext("👥 Full: you can join the waiting list.")


def volunteers_words(tr: Translator, event: Event) -> str:
    details = event.details
    _ = tr.gettext
    wanted = details.volunteers_wanted
    words = tr.ngettext("🙋 {n} volunteer wanted", "🙋 {n} volunteers wanted", wanted).format(
        n=wanted
    )
    if details.credit_minutes and details.organisation:
        words += " " + _("({hours} of time credit for each hour given, from {giver})").format(
            hours=hours_words(tr, details.credit_minutes), giver=escape(details.organisation)
        )
    elif details.credit_minutes:
        words += " " + _("({hours} of time credit for each hour given)").format(
            hours=hours_words(tr, details.credit_minutes)
        )
    return words


def answer_words(tr: Translator, mine: MyAnswer | None) -> str | None:
    _ = tr.gettext
    if mine is None:
        return None
    if mine.answer is Answer.GOING and mine.position is not None:
        words = _("You're on the waiting list (number {n}). We'll tell you if a place comes up.")
        words = words.format(n=mine.position)
    elif mine.answer is Answer.GOING:
        words = _("✅ You're going.")
    elif mine.answer is Answer.MAYBE:
        words = _("You said maybe.")
    else:
        words = _("You said you can't go.")
    if mine.wants_to_volunteer and mine.answer is not Answer.NO:
        words += "\n" + _("🙋 You'd like to volunteer. Thank you!")
    return words


def event_card(
    services: Services,
    member: Member,
    event: Event,
    mine: MyAnswer | None,
    *,
    page: int | None = None,
    bot_username: str | None = None,
    note: str | None = None,
) -> Screen:
    """The card as this member sees it: their answer, its buttons, and (for its organiser or
    an admin) the link to share, Edit and Cancel event."""
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    parts = [note] if note else []
    parts.append(card_text(services, tr, event))
    answered = answer_words(tr, mine)
    if answered and event.status is EventStatus.PUBLISHED:
        parts.append(answered)
    manage = may_manage(services, member, event)
    if manage and bot_username and event.status is EventStatus.PUBLISHED:
        parts.append(_("Share this link: {link}").format(link=link(bot_username, event)))
    started = has_started(event.starts_at, services.clock.now())
    if manage and event.volunteers_credited:
        parts.append(_("Volunteers credited: {n}").format(n=event.volunteers_credited))
    rows: list[list[InlineKeyboardButton]] = []
    if event.status is EventStatus.PUBLISHED:
        current = mine.answer if mine is not None else None
        labels = {Answer.GOING: _("Going"), Answer.MAYBE: _("Maybe"), Answer.NO: _("Can't go")}
        rows.append(
            [
                b(("✓ " if answer is current else "") + label, Reply(event.id, answer, page))
                for answer, label in labels.items()
            ]
        )
        if event.details.volunteers_wanted:
            wants = mine is not None and mine.wants_to_volunteer
            label = ("✓ " if wants else "") + _("🙋 I'd like to volunteer")
            rows.append([b(label, Volunteer(event.id, not wants, page))])
        rows.append([b(_("📅 Add to my calendar"), AddToCalendar(event.id))])
        if manage and started:
            rows.append(
                [
                    b(_("✅ Who came"), WhoCame(event.id, 0)),
                    b(_("🎁 Credit volunteers"), CreditVolunteers(event.id)),
                ]
            )
        if manage:
            rows.append(
                [
                    b(_("📣 Announce"), AskAnnounce(event.id)),
                    b(_("🔳 QR code for posters"), PosterCode(event.id)),
                ]
            )
            rows.append(
                [
                    b(_("✏️ Edit"), EditEvent(event.id)),
                    b(_("❌ Cancel event"), AskCancelEvent(event.id)),
                ]
            )
    back = _("« Back to the events") if page is not None else _("« All events")
    rows.append([b(back, ListEvents(page or 0))])
    return Screen("\n\n".join(parts), keyboard(*rows))
