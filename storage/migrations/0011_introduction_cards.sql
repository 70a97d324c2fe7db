-- One live card per introduction and member: the message (in the member's own chat) that
-- shows the introduction with buttons. When the introduction changes, that message is edited
-- in place, or its buttons are removed when a newer card is sent, so no stale button acts.
-- NULL: the member has no card with buttons for it.

ALTER TABLE introductions ADD COLUMN owner_card INTEGER;
ALTER TABLE introductions ADD COLUMN responder_card INTEGER;
