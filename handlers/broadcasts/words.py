"""What the broadcast screens share: who may send them, how an audience and the texts read."""

from __future__ import annotations

from html import escape

from bot.domain.broadcasts import Audience, AudienceKind
from bot.runtime.context import Services
from bot.runtime.i18n import Translator
from handlers.cards import category_label
from storage.members import Member

# Each text's share of a preview or an approval card, which show both (each may be 3,800).
PREVIEW_EACH = 1_500


def audience_label(services: Services, audience: Audience, tr: Translator) -> str:
    """Who a broadcast goes to, as a phrase with its preposition ("to everyone"), so that
    Welsh can mutate it ("i bawb") where a bare label could not be."""
    _ = tr.gettext
    if audience.kind is AudienceKind.EVERYONE:
        return _("to everyone")
    if audience.kind is AudienceKind.AREA:
        area = services.config.area(audience.key or "")
        name = area.label(tr.language) if area is not None else audience.key or ""
        # TRANSLATORS: after "Sending your broadcast"; the area's name is not mutated, so
        # Welsh says "i aelodau ardal Treganna" rather than "yn Nhreganna".
        return _("to members in {area}").format(area=escape(name))
    name = category_label(services, audience.key or "", tr.language)
    return _("to members interested in {category}").format(category=escape(name))


def members_count(tr: Translator, count: int) -> str:
    return tr.ngettext("{count} member", "{count} members", count).format(count=count)


def shortened(text: str, limit: int = PREVIEW_EACH) -> str:
    """The text, escaped, cut to `limit` characters with an ellipsis when longer."""
    return escape(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def both_texts(tr: Translator, english: str | None, welsh: str | None) -> str:
    """Both texts as a preview shows them, each under its language."""
    _ = tr.gettext
    parts = []
    if english:
        parts.append(f"<b>English</b>\n{shortened(english)}")
    if welsh:
        parts.append(f"<b>Cymraeg</b>\n{shortened(welsh)}")
    if not english:
        parts.append(_("<i>No English: English speakers will get the Welsh.</i>"))
    if not welsh:
        parts.append(_("<i>No Welsh: Welsh speakers will get the English.</i>"))
    return "\n\n".join(parts)


async def approvers(services: Services, author: Member) -> list[int]:
    """Who may give a second yes: every other ambassador and coordinator (by Telegram id)."""
    staff = await services.staff.telegram_ids()
    return [telegram_id for telegram_id in staff if telegram_id != author.telegram_id]
