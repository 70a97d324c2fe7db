"""Whom an organiser may tell about their event, and the screen where they choose (each audience
once), shown on publishing and from the organiser's card."""

from __future__ import annotations

from html import escape

from bot.domain.announcements import Target, targets
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.buttons import Buttons
from handlers.common import Screen, keyboard, tr_for
from handlers.events.buttons import AnnounceTo, OpenEvent
from handlers.events.card import area_words
from storage.events import Event
from storage.members import Member


def choices(services: Services, event: Event) -> tuple[Target, ...]:
    return targets(event.details.area, bool(services.config.event_group_chats))


def _target_label(services: Services, tr: Translator, event: Event, target: Target) -> str:
    _ = tr.gettext
    if target is Target.EVERYONE:
        return _("📣 Everyone")
    if target is Target.AREA:
        return _("📍 Everyone in {area}").format(area=area_words(services, tr, event.details.area))
    if target is Target.INTEREST:
        kind = services.config.category(event.details.kind)
        label = kind.label(tr.language) if kind is not None else event.details.kind
        return _("🏷 Members interested in {kind}").format(kind=label)
    return _("💬 Post in the community group")


def announce_screen(
    services: Services,
    member: Member,
    event: Event,
    done: frozenset[Target],
    note: str | None = None,
    *,
    from_card: bool = True,
) -> Screen:
    """Whom to tell about the event: each audience once (✓ when done); then back to its card
    (opened from there) or done for now (offered on publishing, above the card)."""
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    parts = [note] if note else []
    parts.append(
        _(
            "<b>Who should hear about “{title}”?</b>\n"
            "Members who have turned new events off are left out, and nobody hears of it twice."
        ).format(title=escape(event.details.title))
    )
    rows = [
        [
            b(
                ("✓ " if target in done else "") + _target_label(services, tr, event, target),
                AnnounceTo(event.id, target, from_card),
            )
        ]
        for target in choices(services, event)
    ]
    if from_card:
        rows.append([b(_("« Back to the event"), OpenEvent(event.id, None))])
    else:
        rows.append([b(_("Not now") if not done else _("Done"), AnnounceTo(event.id, None, False))])
    return Screen("\n\n".join(parts), keyboard(*rows))


def published_screen(services: Services, member: Member, event: Event) -> Screen:
    """Offered on publishing, above the event's card: whom to tell."""
    note = tr_for(services, member).gettext(
        "✅ It's published: your event is below, with its link to share."
    )
    return announce_screen(services, member, event, frozenset(), note, from_card=False)


def later_screen(services: Services, member: Member) -> Screen:
    """Not now: where to find it again."""
    return Screen(
        tr_for(services, member).gettext(
            "All right. You can announce it later with “📣 Announce” on its card."
        )
    )
