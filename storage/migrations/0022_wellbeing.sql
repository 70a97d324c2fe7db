-- Wellbeing questions (issue 11): a member's separate, explicit consent to them, and their
-- answers, kept under their pseudonym (wellbeing_keys), never their member id.

CREATE TABLE wellbeing_consent (
    member_id   INTEGER PRIMARY KEY REFERENCES members (id),
    given_at    TEXT NOT NULL
);

-- One row per question per round: 'ons' (the four ONS questions, every three months) or
-- 'since' (the "since you joined" questions, once a year), the round named by the day it was
-- due. answer: 0-10 for 'ons'; 'since': 1 yes, 0 no, 2 not sure; NULL: skipped.
CREATE TABLE wellbeing_answers (
    pseudonym   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('ons', 'since')),
    round       TEXT NOT NULL,
    question    INTEGER NOT NULL,
    answer      INTEGER,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (pseudonym, kind, round, question)
);
