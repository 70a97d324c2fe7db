"""Where a member's personal data lives: what /mydata shows them and what /forget removes."""

from __future__ import annotations

from typing import Any

from storage import support
from storage.database import Database

# (table, column naming the member, shown in their export). Every row here is deleted when
# they are erased. Blocks others made against them are erased but never shown: a member is
# not told who blocked them.
ROWS_ABOUT_MEMBER: tuple[tuple[str, str, bool], ...] = (
    ("member_offer_categories", "member_id", True),
    ("notice_categories", "member_id", True),
    ("due_work", "member_id", True),
    ("match_notices", "member_id", True),
    ("blocks", "blocker_id", True),
    ("blocks", "blocked_id", False),
    ("introductions", "owner_id", True),
    ("introductions", "responder_id", True),
    ("listings", "member_id", True),
    ("event_answers", "member_id", True),
    ("forms", "member_id", True),
    ("outbox", "member_id", True),
    ("notice_preferences", "member_id", True),
    ("event_heard", "member_id", True),
    ("broadcasts", "author_id", True),
    ("wellbeing_consent", "member_id", True),
    ("checkin_schedules", "member_id", True),
    ("appeals", "member_id", True),  # before what they appeal against
    ("warnings", "member_id", True),
    ("sanctions", "member_id", True),
)

# Messages waiting to be sent to someone else that carry the member's words (a message relayed
# through an introduction): they name the member as "from" in their data.
OUTBOX_FROM_MEMBER = "DELETE FROM outbox WHERE json_extract(data, '$.from') = ?"

# Someone else's form in progress about the member (logging time with them, a coordinator
# granting them credits): the answers fields that name another member, in every form's answers.
FORM_FIELDS_NAMING_A_MEMBER = ("other_id", "giver", "taker", "member", "subject")
FORMS_ABOUT_MEMBER = (
    "DELETE FROM forms WHERE EXISTS (SELECT 1 FROM json_each(forms.answers) WHERE key IN ("
    + ", ".join(f"'{field}'" for field in FORM_FIELDS_NAMING_A_MEMBER)
    + ") AND value = ?)"
)

# Their own requests for contact and the reports they made: never which staff member took or
# closed one, nor whom a report is about or their words.
_SUPPORT_REQUESTS = (
    "SELECT id, kind, reason, subject_id, category, details, state, outcome, note, created_at,"
    " claimed_at, closed_at FROM support_requests WHERE member_id = ? ORDER BY id"
)

# Their messages answered with the helplines (remembered for two days, by chat).
_HELPLINE_REPLIES = (
    "SELECT message_id, answered_at FROM helpline_replies WHERE chat_id ="
    " (SELECT telegram_id FROM members WHERE id = ?) ORDER BY answered_at"
)

# Time-credit rows are kept after erasure (balances must still add up), without their words.
_ACCOUNTS = "SELECT * FROM accounts WHERE member_id = ?"
_TRANSFERS = (
    "SELECT t.* FROM transfers AS t JOIN accounts AS a"
    " ON a.id IN (t.from_account_id, t.to_account_id) WHERE a.member_id = ? ORDER BY t.id"
)


async def rows_about(db: Database, member_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row held about the member, table by table, as plain values."""
    held: dict[str, list[dict[str, Any]]] = {}

    async def add(table: str, sql: str) -> None:
        rows = await db.fetch_all(sql, (member_id,))
        held.setdefault(table, []).extend(dict(row) for row in rows)

    await add("members", "SELECT * FROM members WHERE id = ?")
    for table, column, shown in ROWS_ABOUT_MEMBER:
        if shown:
            await add(table, f"SELECT * FROM {table} WHERE {column} = ?")
    for table in support.WELLBEING_TABLES:  # kept under a pseudonym, not the member's id
        await add(
            table,
            f"SELECT t.* FROM {table} t JOIN wellbeing_keys k ON k.pseudonym = t.pseudonym"
            " WHERE k.member_id = ?",
        )
    await add("support_requests", _SUPPORT_REQUESTS)
    await add("helpline_replies", _HELPLINE_REPLIES)
    await add("accounts", _ACCOUNTS)
    await add("transfers", _TRANSFERS)
    return held
