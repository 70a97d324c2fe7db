"""The application's typed context: what every handler reaches the database and config through."""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue
from telegram.request import BaseRequest

from bot.config import Config
from bot.domain.group_flood import FloodWatch
from bot.domain.probing import Probing
from bot.domain.roles import Role
from bot.runtime import menus
from bot.runtime.callbacks import CallbackSigner
from bot.runtime.clock import Clock
from bot.runtime.commands import Command
from bot.runtime.duework import DueWorkRunner
from bot.runtime.i18n import Catalogs
from bot.runtime.outbox import OutboxSender
from bot.runtime.ratelimit import SendingBudget
from bot.runtime.roles import RoleBook
from bot.runtime.tracking import TrackedApplication
from storage.announcements import AnnouncementRepository
from storage.appeals import AppealRepository
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.barred import BarredRepository
from storage.broadcasts import BroadcastRepository
from storage.checkins import CheckinRepository
from storage.database import Database
from storage.due_work import DueWorkRepository
from storage.events import EventRepository
from storage.forms import FormRepository
from storage.groups import GroupRepository
from storage.helpline_replies import HelplineReplyRepository
from storage.introductions import BlockRepository, IntroductionRepository
from storage.ledger import LedgerRepository
from storage.listings import ListingRepository
from storage.matching import MatchingRepository
from storage.members import MemberRepository
from storage.moderation import ModerationRepository
from storage.nudges import NudgeRepository
from storage.outbox import OutboxRepository
from storage.preferences import PreferenceRepository
from storage.settings import SettingsRepository
from storage.staff import StaffRepository
from storage.support import SupportRepository
from storage.wellbeing import WellbeingRepository

CALLBACK_SECRET = "callback_secret"
DUE_WORK_JOB = "due-work"


@dataclass
class Services:
    config: Config
    clock: Clock
    db: Database
    members: MemberRepository
    due_work: DueWorkRepository
    listings: ListingRepository
    forms: FormRepository
    catalogs: Catalogs
    callbacks: CallbackSigner
    commands: tuple[Command, ...]
    introductions: IntroductionRepository
    blocks: BlockRepository
    matching: MatchingRepository
    ledger: LedgerRepository
    outbox: OutboxRepository
    broadcasts: BroadcastRepository
    preferences: PreferenceRepository
    nudges: NudgeRepository
    support: SupportRepository
    helpline_replies: HelplineReplyRepository
    wellbeing: WellbeingRepository
    announcements: AnnouncementRepository
    events: EventRepository
    attendance: AttendanceRepository
    checkins: CheckinRepository
    staff: StaffRepository  # every list of the staff (one member's role: `role_of`)
    audit: AuditRepository
    groups: GroupRepository  # the group chats the bot is in
    moderation: ModerationRepository  # warnings, suspensions and bans
    appeals: AppealRepository
    barred: BarredRepository  # accounts banned, then erased, that may not join again
    probing: Probing = field(default_factory=Probing)  # repeated refusals (handlers/access.py)
    floods: FloodWatch = field(default_factory=FloodWatch)  # group chats' recent messages
    roles: RoleBook = field(default_factory=RoleBook)  # read by `role_of`; see `reload_roles`
    # Failures of handlers, newest last; tests check it stays empty.
    errors: deque[BaseException] = field(default_factory=lambda: deque(maxlen=100))

    def role_of(self, telegram_id: int) -> Role:
        return self.roles.role_of(telegram_id)

    async def reload_roles(self) -> None:
        """Read the roles again from the database (after /promote or /demote)."""
        self.roles.load(await self.staff.roles())

    async def use_config(self, config: Config) -> None:
        """Take the config's roles as it names them now (at start-up, and in tests that change
        the config), keeping those given by chat."""
        self.config = config
        await self.staff.set_staff(config.admins, config.ambassadors)
        await self.reload_roles()


class AmserApplication(
    TrackedApplication,
    Application[
        ExtBot[None],
        "AmserContext",
        dict[Any, Any],
        dict[Any, Any],
        dict[Any, Any],
        JobQueue["AmserContext"],
    ],
):
    """PTB's Application plus Amser's services."""

    config: Config
    clock: Clock
    requests: tuple[BaseRequest, ...] = ()
    due_work_runner: DueWorkRunner
    outbox: OutboxSender  # the one sender, and who words each kind of message
    budget: SendingBudget
    # Every multi-step form, by name (handlers.forms keeps it; typed answers find theirs here).
    forms: dict[str, Any]
    # What each kind of /start link opens (handlers.landing keeps it), by the link's prefix.
    landings: dict[str, Any]
    # What features do once the services are ready (e.g. scheduling their standing due work).
    startup: list[Callable[[AmserApplication], Awaitable[None]]]
    _services: Services | None = None
    commands: tuple[Command, ...] = ()

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the application has not been initialised yet")
        return self._services

    @services.setter
    def services(self, services: Services) -> None:
        self._services = services

    async def initialize(self) -> None:
        """Open the database (before Telegram, so local problems show first), then the rest."""
        if self._initialized:
            return
        db = await Database.open(self.config.database_path)
        try:
            await super().initialize()
            secret = await SettingsRepository(db).secret(CALLBACK_SECRET)
        except BaseException:
            await db.close()
            for request in self.requests:  # the bot opened them before failing
                await request.shutdown()
            raise
        outbox = OutboxRepository(db)
        self._services = Services(
            config=self.config,
            clock=self.clock,
            db=db,
            members=MemberRepository(db),
            due_work=DueWorkRepository(db),
            listings=ListingRepository(db),
            forms=FormRepository(db),
            catalogs=Catalogs(),
            callbacks=CallbackSigner(bytes.fromhex(secret)),
            commands=self.commands,
            introductions=IntroductionRepository(db),
            blocks=BlockRepository(db),
            matching=MatchingRepository(db),
            ledger=LedgerRepository(db),
            outbox=outbox,
            broadcasts=BroadcastRepository(db, outbox),
            preferences=PreferenceRepository(db),
            nudges=NudgeRepository(db),
            support=SupportRepository(db),
            helpline_replies=HelplineReplyRepository(db),
            wellbeing=WellbeingRepository(db),
            announcements=AnnouncementRepository(db),
            events=EventRepository(db),
            attendance=AttendanceRepository(db),
            checkins=CheckinRepository(db),
            staff=StaffRepository(db),
            audit=AuditRepository(db),
            groups=GroupRepository(db),
            moderation=ModerationRepository(db),
            appeals=AppealRepository(db),
            barred=BarredRepository(db),
        )
        # The staff's copy in the database, from the config, before anything reads it.
        await self._services.use_config(self.config)
        await menus.publish_default_menus(self)
        for step in self.startup:
            await step(self)
        if self.job_queue is None:
            raise RuntimeError("the application has no job queue")
        self.job_queue.run_repeating(
            _run_due_work,
            interval=self.config.due_work_interval_seconds,
            first=1.0,
            name=DUE_WORK_JOB,
        )

    async def start(self) -> None:
        await super().start()
        self.outbox.start(self)

    async def stop(self) -> None:
        await self.outbox.stop()
        await super().stop()

    async def shutdown(self) -> None:
        await super().shutdown()
        if self._services is not None:
            await self._services.db.close()
            self._services = None

    async def run_due_work(self) -> int:
        """Do what is due now and send what that queued (tests and the demo; the repeating
        job runs the due work alone and leaves sending to the sender)."""
        done = await self.due_work_runner.run_due(self)
        await self.settle()
        return done

    async def settle(self) -> None:
        """Return once the outbox has sent everything due now (tests and the demo)."""
        await self.outbox.drain(self)


async def _run_due_work(context: AmserContext) -> None:
    if not isinstance(context.application, AmserApplication):
        raise TypeError("due work runs only in an AmserApplication")
    await context.application.due_work_runner.run_due(context.application)


class AmserContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return cast(AmserApplication, self.application).services
