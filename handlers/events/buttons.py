"""The buttons of event cards and the /events list. Each press names its event and is checked
again on arrival: the event may have been cancelled, or the presser may no longer be allowed."""

from __future__ import annotations

from bot.domain.announcements import Target
from bot.domain.events import Answer
from handlers.buttons import ButtonData


class ListEvents(ButtonData, prefix="ev:list"):
    page: int


class OpenEvent(ButtonData, prefix="ev:card"):
    event: int
    page: int | None  # the list page it was opened from (None: from a link or a notice)


class Reply(ButtonData, prefix="ev:ans"):
    event: int
    answer: Answer
    page: int | None


class Volunteer(ButtonData, prefix="ev:vol"):
    event: int
    on: bool  # what the tap makes true, so a repeated tap changes nothing
    page: int | None


class AddToCalendar(ButtonData, prefix="ev:ics"):
    event: int


class EditEvent(ButtonData, prefix="ev:edit"):
    event: int


class AskCancelEvent(ButtonData, prefix="ev:drop"):
    event: int


class CancelEvent(ButtonData, prefix="ev:dropped"):
    event: int


class AskAnnounce(ButtonData, prefix="ev:annc"):
    """The organiser's choice of whom to tell about their event."""

    event: int


class AnnounceTo(ButtonData, prefix="ev:anto"):
    event: int
    target: Target | None  # None: not now
    from_card: bool  # opened from the event's card (else offered on publishing)


class PosterCode(ButtonData, prefix="ev:qr"):
    """A PNG of the QR code of the event's link, for posters."""

    event: int


class WhoCame(ButtonData, prefix="ev:came"):
    """The list of who answered, to mark who came and who volunteered (its organiser)."""

    event: int
    page: int


class MarkCame(ButtonData, prefix="ev:mark"):
    event: int
    member: int
    came: bool  # what the tap makes true, so a repeated tap changes nothing
    page: int


class MarkVolunteered(ButtonData, prefix="ev:markv"):
    event: int
    member: int
    volunteered: bool  # what the tap makes true
    page: int


class CreditVolunteers(ButtonData, prefix="ev:thank"):
    event: int
