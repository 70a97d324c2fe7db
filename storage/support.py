"""Support: the pseudonym that keeps wellbeing answers apart from identity, and the queue of
"please get in touch" requests (and reports) that ambassadors and coordinators work through."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Generic

from storage.database import Database, fetch_all_in, fetch_one_in
from storage.effects import R, Then, follow_in
from storage.forms import made_by_in, record_made_in
from storage.outbox import Notice, Priority, queue_in
from storage.reports import Outcome, ReportAbout, ReportReason
from storage.staff import StaffRole, staff_members_in
from storage.timestamps import from_db, required_from_db, to_db

# The notices the queue writes with its changes (their words: handlers/support/notices.py).
ASKED = "support.asked"  # to the staff: a member would like someone to get in touch
REPORTED = "support.reported"  # to the coordinators: a new report
RESOLVED = "support.resolved"  # to a reporter: their report has been dealt with
REMINDER = "support.reminder"  # to the staff, at most daily: requests are waiting in /queue
ESCALATED = "support.escalated"  # to the coordinators, once: a request waited too long
TAKEN = "support.taken"  # to the member who asked: someone has taken their request

# Tables of answers kept under a pseudonym (a `pseudonym` column), not a member id: erasure and
# withdrawn consent delete from each, and /mydata shows each. A feature storing answers adds
# its table here.
WELLBEING_TABLES: tuple[str, ...] = ("checkin_answers", "wellbeing_answers")


class ContactReason(StrEnum):
    CHECKIN = "checkin"  # "Would you like someone to get in touch?" after a check-in
    CRISIS = "crisis"  # after crisis words, from the helplines reply
    WELLBEING = "wellbeing"  # after very low wellbeing answers


def pseudonym_in(tx: sqlite3.Connection, member_id: int) -> str:
    """The member's pseudonym for wellbeing answers, made on first use."""
    row = tx.execute(
        "SELECT pseudonym FROM wellbeing_keys WHERE member_id = ?", (member_id,)
    ).fetchone()
    if row is not None:
        return str(row[0])
    pseudonym = secrets.token_hex(16)
    tx.execute(
        "INSERT INTO wellbeing_keys (member_id, pseudonym) VALUES (?, ?)", (member_id, pseudonym)
    )
    return pseudonym


def forget_answers_in(tx: sqlite3.Connection, member_id: int, tables: tuple[str, ...]) -> None:
    """Delete the member's answers in these tables (all of them: erasure; some: consent
    withdrawn). The pseudonym goes only with all of them."""
    for table in tables:
        tx.execute(
            f"DELETE FROM {table} WHERE pseudonym IN"
            " (SELECT pseudonym FROM wellbeing_keys WHERE member_id = ?)",
            (member_id,),
        )
    if set(WELLBEING_TABLES) <= set(tables):
        tx.execute("DELETE FROM wellbeing_keys WHERE member_id = ?", (member_id,))


def forget_member_in(tx: sqlite3.Connection, member_id: int) -> None:
    """Erasure: their wellbeing answers and pseudonym, and their place in the support queue."""
    forget_answers_in(tx, member_id, WELLBEING_TABLES)
    tx.execute("DELETE FROM support_requests WHERE member_id = ?", (member_id,))
    # What they had taken goes back to the queue for someone else.
    tx.execute(
        "UPDATE support_requests SET state = 'open', claimed_by = NULL, claimed_at = NULL,"
        " reminded_at = NULL WHERE state = 'claimed' AND claimed_by = ?",
        (member_id,),
    )
    tx.execute("UPDATE support_requests SET claimed_by = NULL WHERE claimed_by = ?", (member_id,))
    tx.execute("UPDATE support_requests SET closed_by = NULL WHERE closed_by = ?", (member_id,))
    # Reports about them keep that there was one, not their words.
    tx.execute(
        "UPDATE support_requests SET subject_member = NULL, excerpt = NULL"
        " WHERE subject_member = ?",
        (member_id,),
    )


def ask_for_contact_in(
    tx: sqlite3.Connection,
    member_id: int,
    reason: ContactReason,
    now: datetime,
    *,
    not_before: datetime | None = None,
) -> bool:
    """A member asks for someone to get in touch; False if a request of theirs is open
    already (a double tap, or asking again, changes nothing) unless this one is after crisis
    words and that one was not: then it becomes urgent and the staff are told again at once.
    Every ambassador and coordinator is told in the same write (never why beyond the reason,
    never any answers), not before `not_before` (the caller's morning in quiet hours; None
    after crisis words)."""
    cursor = tx.execute(
        "INSERT OR IGNORE INTO support_requests"
        " (kind, member_id, reason, created_at, updated_at) VALUES ('contact', ?, ?, ?, ?)",
        (member_id, reason, to_db(now), to_db(now)),
    )
    if cursor.rowcount == 1:
        request_id = int(cursor.lastrowid or 0)
        told = staff_members_in(tx, exclude=member_id)
        key = f"{ASKED}:{request_id}"
    elif reason == ContactReason.CRISIS:
        row = tx.execute(
            "UPDATE support_requests SET reason = ?, updated_at = ? WHERE member_id = ?"
            " AND kind = 'contact' AND state != 'closed' AND reason != ?"
            " RETURNING id, state, claimed_by",
            (reason, to_db(now), member_id, reason),
        ).fetchone()
        if row is None:
            return False
        request_id = int(row["id"])
        if row["state"] == "claimed" and row["claimed_by"] is not None:
            told = [int(row["claimed_by"])]
        else:
            told = staff_members_in(tx, exclude=member_id)
        key = f"{ASKED}:{request_id}:{reason}"
    else:
        return False
    notices = [
        Notice(
            ASKED,
            member_id=staff,
            about=request_id,
            key=f"{key}:{staff}",
            not_before=not_before,
        )
        for staff in told
    ]
    queue_in(tx, notices, now)
    return True


@dataclass(frozen=True)
class SupportRequest:
    id: int
    kind: str  # contact | report
    member_id: int | None  # who asked, or who reported
    reason: str  # contact: a ContactReason; report: a ReportAbout
    subject_id: int | None
    subject_member: int | None
    category: str | None
    details: str | None
    excerpt: str | None
    state: str  # open | claimed | closed
    claimed_by: int | None
    claimed_at: datetime | None
    closed_by: int | None
    closed_at: datetime | None
    note: str | None
    outcome: str | None
    created_at: datetime
    escalated_at: datetime | None

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


@dataclass(frozen=True)
class Changed(Generic[R]):
    """A request after a claim, a hand-back or a close; whether this press changed it."""

    request: SupportRequest | None
    changed: bool
    done: R | None = None  # what dealing with a report did (a warning, a suspension)


def request_in(tx: sqlite3.Connection, request_id: int) -> SupportRequest | None:
    row = fetch_one_in(tx, "SELECT * FROM support_requests WHERE id = ?", (request_id,))
    return _request(row) if row is not None else None


def report_in(
    tx: sqlite3.Connection,
    form_id: int,
    reporter_id: int,
    about: ReportAbout,
    subject_id: int,
    subject_member: int | None,
    reason: ReportReason,
    details: str | None,
    excerpt: str | None,
    now: datetime,
    *,
    not_before: datetime | None = None,
) -> int:
    """A report, made once per form, and a card for every coordinator in the same write (not
    before `not_before`: the morning, in quiet hours)."""
    if (made := made_by_in(tx, form_id)) is not None:
        return made
    cursor = tx.execute(
        "INSERT INTO support_requests (kind, member_id, reason, subject_id, subject_member,"
        " category, details, excerpt, created_at, updated_at)"
        " VALUES ('report', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (reporter_id, str(about), subject_id, subject_member, str(reason), details, excerpt)
        + (to_db(now),) * 2,
    )
    report_id = int(cursor.lastrowid or 0)
    record_made_in(tx, form_id, report_id)
    admins = staff_members_in(tx, role=StaffRole.ADMIN, exclude=reporter_id)
    queue_in(
        tx,
        [
            Notice(
                REPORTED,
                member_id=admin,
                about=report_id,
                key=f"{REPORTED}:{report_id}:{admin}",
                not_before=not_before,
            )
            for admin in admins
        ],
        now,
    )
    return report_id


def claim_in(
    tx: sqlite3.Connection, request_id: int, by: int, now: datetime, not_before: datetime | None
) -> Changed:
    """ "I'll take this": one UPDATE that only an open request passes, so of two at once one
    wins, and only the winner's tells the member (not before `not_before`). Colleagues' cards
    are not changed: a later press on one is told who took it."""
    row = tx.execute(
        "UPDATE support_requests SET state = 'claimed', claimed_by = ?, claimed_at = ?,"
        " updated_at = ? WHERE id = ? AND kind = 'contact' AND state = 'open' RETURNING member_id",
        (by, to_db(now), to_db(now), request_id),
    ).fetchone()
    if row is not None:
        key, data = f"{TAKEN}:{request_id}:{by}", {"by": by}
        told = Notice(
            TAKEN, row["member_id"], None, request_id, data, key=key, not_before=not_before
        )
        queue_in(tx, [told], now)
    return Changed(request_in(tx, request_id), row is not None)


def hand_back_in(
    tx: sqlite3.Connection, request_id: int, by: int, admin: bool, now: datetime
) -> Changed:
    """Back to open, by whoever claimed it (or a coordinator); a repeat changes nothing."""
    cursor = tx.execute(
        "UPDATE support_requests SET state = 'open', claimed_by = NULL, claimed_at = NULL,"
        " updated_at = ? WHERE id = ? AND kind = 'contact' AND state = 'claimed'"
        " AND (claimed_by = ? OR ?)",
        (to_db(now), request_id, by, admin),
    )
    return Changed(request_in(tx, request_id), cursor.rowcount == 1)


def close_in(
    tx: sqlite3.Connection,
    request_id: int,
    by: int,
    admin: bool,
    note: str | None,
    now: datetime,
) -> Changed:
    """Closed with a note, by whoever claimed it (or a coordinator); once."""
    cursor = tx.execute(
        "UPDATE support_requests SET state = 'closed', closed_by = ?, closed_at = ?, note = ?,"
        " updated_at = ? WHERE id = ? AND kind = 'contact' AND state = 'claimed'"
        " AND (claimed_by = ? OR ?)",
        (by, to_db(now), note, to_db(now), request_id, by, admin),
    )
    return Changed(request_in(tx, request_id), cursor.rowcount == 1)


def resolve_report_in(
    tx: sqlite3.Connection,
    report_id: int,
    by: int,
    outcome: Outcome,
    now: datetime,
    *,
    not_before: datetime | None = None,
    act: Callable[[sqlite3.Connection], R | None] | None = None,
    then: Then[SupportRequest] | None = None,
) -> Changed[R]:
    """An open report dealt with, once, in one write: `act` (a warning, a listing taken down;
    if it returns None, nothing was done and it stays open), `then` and the reporter told
    (`not_before`)."""
    report = request_in(tx, report_id)
    if report is None or not report.is_report or report.state == "closed":
        return Changed(report, False)
    done = act(tx) if act is not None else None
    if act is not None and done is None:
        return Changed(report, False)
    tx.execute(
        "UPDATE support_requests SET state = 'closed', outcome = ?, closed_by = ?,"
        " closed_at = ?, updated_at = ? WHERE id = ?",
        (str(outcome), by, to_db(now), to_db(now), report_id),
    )
    key = f"{RESOLVED}:{report.id}"
    told = Notice(RESOLVED, report.member_id, None, report.id, key=key, not_before=not_before)
    queue_in(tx, [told], now)
    return Changed(follow_in(tx, then, request_in(tx, report_id) or report, now), True, done)


def waiting_in(
    tx: sqlite3.Connection,
    now: datetime,
    remind_after: timedelta,
    escalate_after: timedelta,
    not_before: datetime,
    day: str,
) -> None:
    """The queue's daily look: a reminder to everyone working it when requests have waited
    `remind_after` unclaimed since they came or were last reminded of (one summary each a
    day), and each contact request unclaimed for `escalate_after` to the coordinators, once."""
    stale = to_db(now - remind_after)
    reminded = tx.execute(
        "UPDATE support_requests SET reminded_at = ? WHERE state = 'open'"
        " AND coalesce(reminded_at, created_at) <= ?",
        (to_db(now), stale),
    ).rowcount
    notices: list[Notice] = []
    if reminded:
        notices += [
            Notice(
                REMINDER,
                member_id=staff,
                key=f"{REMINDER}:{staff}:{day}",
                priority=Priority.BULK,
                not_before=not_before,
            )
            for staff in staff_members_in(tx)
        ]
    late = fetch_all_in(
        tx,
        "SELECT id FROM support_requests WHERE kind = 'contact' AND state = 'open'"
        " AND escalated_at IS NULL AND created_at <= ?",
        (to_db(now - escalate_after),),
    )
    admins = staff_members_in(tx, role=StaffRole.ADMIN)
    for row in late:
        tx.execute(
            "UPDATE support_requests SET escalated_at = ? WHERE id = ?", (to_db(now), row["id"])
        )
        notices += [
            Notice(
                ESCALATED,
                member_id=admin,
                about=int(row["id"]),
                key=f"{ESCALATED}:{row['id']}:{admin}",
                not_before=not_before,
            )
            for admin in admins
        ]
    queue_in(tx, notices, now)


def _request(row: sqlite3.Row) -> SupportRequest:
    return SupportRequest(
        id=row["id"],
        kind=row["kind"],
        member_id=row["member_id"],
        reason=row["reason"],
        subject_id=row["subject_id"],
        subject_member=row["subject_member"],
        category=row["category"],
        details=row["details"],
        excerpt=row["excerpt"],
        state=row["state"],
        claimed_by=row["claimed_by"],
        claimed_at=from_db(row["claimed_at"]),
        closed_by=row["closed_by"],
        closed_at=from_db(row["closed_at"]),
        note=row["note"],
        outcome=row["outcome"],
        created_at=required_from_db(row["created_at"], "support_requests.created_at"),
        escalated_at=from_db(row["escalated_at"]),
    )


class SupportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ask_for_contact(
        self,
        member_id: int,
        reason: ContactReason,
        now: datetime,
        *,
        not_before: datetime | None = None,
    ) -> bool:
        return await self._db.write(
            lambda tx: ask_for_contact_in(tx, member_id, reason, now, not_before=not_before)
        )

    async def get(self, request_id: int) -> SupportRequest | None:
        row = await self._db.fetch_one("SELECT * FROM support_requests WHERE id = ?", (request_id,))
        return _request(row) if row is not None else None

    async def waiting(
        self, *, reports: bool, offset: int, limit: int
    ) -> tuple[list[SupportRequest], bool]:
        """Open and claimed items, oldest first (reports only for coordinators); and whether
        there are more after these."""
        rows = await self._db.fetch_all(
            "SELECT * FROM support_requests WHERE state != 'closed'"
            " AND (kind = 'contact' OR ?) ORDER BY created_at, id LIMIT ? OFFSET ?",
            (reports, limit + 1, offset),
        )
        found = [_request(row) for row in rows]
        return found[:limit], len(found) > limit

    async def open_count(self, *, reports: bool) -> int:
        row = await self._db.fetch_one(
            "SELECT count(*) AS n FROM support_requests WHERE state = 'open'"
            " AND (kind = 'contact' OR ?)",
            (reports,),
        )
        return int(row["n"]) if row is not None else 0

    async def report(
        self,
        form_id: int,
        reporter_id: int,
        about: ReportAbout,
        subject_id: int,
        subject_member: int | None,
        reason: ReportReason,
        details: str | None,
        excerpt: str | None,
        now: datetime,
        *,
        not_before: datetime | None = None,
    ) -> int:
        return await self._db.write(
            lambda tx: report_in(
                tx,
                form_id,
                reporter_id,
                about,
                subject_id,
                subject_member,
                reason,
                details,
                excerpt,
                now,
                not_before=not_before,
            )
        )

    async def claim(
        self, request_id: int, by: int, now: datetime, *, not_before: datetime | None = None
    ) -> Changed:
        return await self._db.write(lambda tx: claim_in(tx, request_id, by, now, not_before))

    async def hand_back(self, request_id: int, by: int, admin: bool, now: datetime) -> Changed:
        return await self._db.write(lambda tx: hand_back_in(tx, request_id, by, admin, now))

    async def close(
        self, request_id: int, by: int, admin: bool, note: str | None, now: datetime
    ) -> Changed:
        return await self._db.write(lambda tx: close_in(tx, request_id, by, admin, note, now))

    async def resolve(
        self,
        report_id: int,
        by: int,
        outcome: Outcome,
        now: datetime,
        *,
        not_before: datetime | None = None,
        act: Callable[[sqlite3.Connection], R | None] | None = None,
        then: Then[SupportRequest] | None = None,
    ) -> Changed[R]:
        return await self._db.write(
            lambda tx: resolve_report_in(
                tx, report_id, by, outcome, now, not_before=not_before, act=act, then=then
            )
        )

    async def look_at_waiting(
        self,
        now: datetime,
        remind_after: timedelta,
        escalate_after: timedelta,
        not_before: datetime,
        day: str,
    ) -> None:
        await self._db.write(
            lambda tx: waiting_in(tx, now, remind_after, escalate_after, not_before, day)
        )
