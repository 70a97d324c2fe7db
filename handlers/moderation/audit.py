"""/audit: coordinators see recent admin and ambassador actions, newest first, a page at a
time, of one kind or about one member if they like."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.permissions import Action
from bot.domain.targets import command_arguments
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import authorised
from handlers.audit.words import REASON_SHOWN, line
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Row, Screen, keyboard, pairs, say, show, tr_for
from handlers.credit_common import name_of
from handlers.moderation.target import Target, TargetedCommand
from storage.audit import PAGE, AuditAction, AuditRecord
from storage.members import Member

COMMANDS = (Command("audit", N_("What coordinators and ambassadors have done"), Action.AUDIT),)


class AuditPage(ButtonData, prefix="au:pg"):
    """A page of the audit: rows older than `before` (None: the newest), maybe filtered."""

    before: int | None
    kind: AuditAction | None
    target: int | None


class AuditKinds(ButtonData, prefix="au:kinds"):
    """Choosing which kind of action to see."""

    target: int | None


def _when(services: Services, record: AuditRecord) -> str:
    return record.at.astimezone(services.config.timezone).strftime("%d/%m %H:%M")


async def audit_screen(
    services: Services,
    viewer: Member,
    *,
    before: int | None = None,
    kind: AuditAction | None = None,
    target_id: int | None = None,
) -> Screen:
    """One page of the audit for a coordinator, with Older / Newer and the kind filter."""
    tr = tr_for(services, viewer)
    _ = tr.gettext
    records = await services.audit.recent(target_id=target_id, action=kind, before=before)
    lines = [_("<b>📜 Recent actions</b>")]
    if kind is not None:
        lines.append(_("Only {hashtag}").format(hashtag=kind.hashtag))
    if target_id is not None:
        lines.append(_("About {name}").format(name=await _name(services, tr, target_id)))
    lines.append("")
    if not records:
        lines.append(_("Nothing has been done yet that fits."))
    lines += [f"{_when(services, r)} {line(tr, r, reason_limit=REASON_SHOWN)}" for r in records]
    b = Buttons(services, viewer.telegram_id or 0)
    paging: Row = []
    if records:
        newer, newer_before = await services.audit.newer(
            after=records[0].id, target_id=target_id, action=kind
        )
        if newer:
            paging.append(b(_("« Newer"), AuditPage(newer_before, kind, target_id)))
        if len(records) == PAGE:
            paging.append(b(_("Older »"), AuditPage(records[-1].id, kind, target_id)))
    rows: list[Row] = [paging] if paging else []
    rows.append([b(_("🔎 Choose a kind"), AuditKinds(target_id))])
    if kind is not None:
        rows.append([b(_("Show every kind"), AuditPage(None, None, target_id))])
    return Screen("\n".join(lines), keyboard(*rows))


async def _name(services: Services, tr: Translator, member_id: int) -> str:
    return name_of(await services.members.get(member_id), tr)


def kinds_screen(services: Services, viewer: Member, target_id: int | None) -> Screen:
    tr = tr_for(services, viewer)
    b = Buttons(services, viewer.telegram_id or 0)
    buttons = [b(kind.hashtag, AuditPage(None, kind, target_id)) for kind in AuditAction]
    rows = [*pairs(buttons), [b(tr.gettext("Show every kind"), AuditPage(None, None, target_id))]]
    return Screen(tr.gettext("Which kind of action would you like to see?"), keyboard(*rows))


async def audit_command(update: Update, context: AmserContext) -> None:
    """/audit: every action; /audit <member> (a reply, @username, name or id): those about them."""
    viewer = await authorised(update, context, Action.AUDIT)
    if viewer is None:
        return
    message = update.effective_message
    named = message is not None and (
        message.reply_to_message is not None or command_arguments(message.text or "")
    )
    if not named:
        await say(update, context, await audit_screen(context.services, viewer))
        return
    await ABOUT.about(update, context, viewer)


async def _viewer(update: Update, context: AmserContext) -> Member | None:
    return await authorised(update, context, Action.AUDIT)


async def _about(update: Update, context: AmserContext, viewer: Member, target: Target) -> None:
    screen = await audit_screen(context.services, viewer, target_id=target.member.id)
    await say(update, context, screen)


ABOUT = TargetedCommand("audit", _viewer, _about)  # /audit <member>


async def on_page(update: Update, context: AmserContext, press: AuditPage) -> None:
    viewer = await authorised(update, context, Action.AUDIT)
    if viewer is not None:
        screen = await audit_screen(
            context.services, viewer, before=press.before, kind=press.kind, target_id=press.target
        )
        await show(update, context, screen)


async def on_kinds(update: Update, context: AmserContext, press: AuditKinds) -> None:
    viewer = await authorised(update, context, Action.AUDIT)
    if viewer is not None:
        await show(update, context, kinds_screen(context.services, viewer, press.target))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("audit", audit_command, filters.ChatType.PRIVATE))
    forms.register(app, ABOUT.choose)
    add_presses(app, {AuditPage: on_page, AuditKinds: on_kinds})
