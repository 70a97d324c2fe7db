"""Every kind of button of the support queue and of reports: what each carries. They import
nothing of ours but the codec and storage's enums, so listing cards and relayed messages can
show "🚩 Report" without an import cycle."""

from __future__ import annotations

from bot.domain import N_
from handlers.buttons import ButtonData
from handlers.forms import FormButton
from storage.reports import Outcome, ReportAbout, ReportReason

# Why a report was made, as its buttons read (also a coordinator's reason for acting on it).
REASONS: dict[ReportReason, str] = {
    ReportReason.UNKIND: N_("Unkind or unsafe"),
    ReportReason.SPAM: N_("Spam or selling"),
    ReportReason.MISLEADING: N_("Not what it says"),
    ReportReason.OTHER: N_("Something else"),
}


class StartReport(ButtonData, prefix="rp:new"):
    """ "🚩 Report": a listing (its id), or a member or a relayed message (the introduction's)."""

    about: ReportAbout
    ident: int


class PickReason(FormButton, prefix="rp:why"):
    reason: ReportReason


class SkipWords(FormButton, prefix="rp:skip"):
    """No words to add: send the report as it is."""


class Act(ButtonData, prefix="rp:act"):
    """A coordinator's one-tap answer to a report (Dismiss, Take the listing down, Handled)."""

    report: int
    outcome: Outcome


class Moderate(ButtonData, prefix="rp:mod"):
    """ "⚠️ Warn" or "⏸ Suspend" the member a report is about (outcome WARNED or SUSPENDED):
    a form asks why, and for how long (handlers/moderation/on_reports.py)."""

    report: int
    outcome: Outcome


class ShowQueue(ButtonData, prefix="sq:list"):
    offset: int


class Claim(ButtonData, prefix="sq:claim"):
    """ "🙋 I'll take this"."""

    request: int


class HandBack(ButtonData, prefix="sq:back"):
    request: int


class CloseWithNote(ButtonData, prefix="sq:close"):
    request: int


class OpenRequest(ButtonData, prefix="sq:item"):
    request: int
