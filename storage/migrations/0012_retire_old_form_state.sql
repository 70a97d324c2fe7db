-- Forms in progress now live in one table, `forms` (0009). Offers and requests and /log that
-- members were writing move there, at the first question still unanswered; then the old
-- places for form state go: the two drafts tables and the members' `step` column.
INSERT OR IGNORE INTO forms (member_id, name, step, answers, created_at, updated_at)
SELECT d.member_id, 'listing',
    CASE WHEN d.category IS NULL THEN 'category' WHEN d.title IS NULL THEN 'title'
         WHEN d.details IS NULL THEN 'details' WHEN d.place IS NULL THEN 'place'
         WHEN d.availability IS NULL THEN 'availability' WHEN d.days IS NULL THEN 'days'
         ELSE 'preview' END,
    json_object('kind', d.kind, 'listing_id', d.listing_id, 'category', d.category,
                'title', d.title, 'details', d.details, 'place', d.place,
                'availability', d.availability, 'days', d.days),
    d.updated_at, d.updated_at
FROM listing_drafts AS d JOIN members AS m ON m.id = d.member_id
WHERE m.status = 'active';

INSERT OR IGNORE INTO forms (member_id, name, step, answers, created_at, updated_at)
SELECT d.member_id, 'log',
    CASE WHEN d.other_id IS NULL THEN 'who' WHEN d.gave IS NULL THEN 'direction'
         WHEN d.minutes IS NULL THEN 'minutes' WHEN d.happened_on IS NULL THEN 'day'
         ELSE 'review' END,
    json_object('other_id', d.other_id,
                'gave', CASE WHEN d.gave IS NULL THEN NULL ELSE json(CASE d.gave WHEN 1 THEN 'true' ELSE 'false' END) END,
                'minutes', d.minutes, 'happened_on', d.happened_on, 'note', d.note,
                'introduction_id', d.introduction_id, 'listing_id', d.listing_id),
    d.updated_at, d.updated_at
FROM ledger_drafts AS d JOIN members AS m ON m.id = d.member_id
WHERE d.purpose = 'log' AND d.sent_transfer_id IS NULL AND m.status = 'active'
ORDER BY d.updated_at;

DROP TABLE listing_drafts;
DROP TABLE ledger_drafts;
ALTER TABLE members DROP COLUMN step;
