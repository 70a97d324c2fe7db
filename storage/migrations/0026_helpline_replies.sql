-- Messages already answered with the helplines (issue 11), so that the same update delivered
-- again (a restart before Telegram learnt it had arrived) is not answered twice. Only which
-- message in which chat and when, never its words; kept two days (Telegram keeps an update
-- for at most one), and deleted by /forget.
CREATE TABLE helpline_replies (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;

CREATE INDEX helpline_replies_by_time ON helpline_replies (answered_at);
