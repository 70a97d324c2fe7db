-- The community group chats the bot is in (issue 12): kept from what Telegram says about the
-- bot's own standing there (my_chat_member, new_chat_members), with the language the bot
-- speaks there. A group that became a supergroup keeps its row under the new id, remembering
-- the old one (migrated_from), so that chats named in the config by their old id still reach it.
CREATE TABLE groups (
    chat_id       INTEGER PRIMARY KEY,                 -- negative, as Telegram has it
    title         TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT 'both' CHECK (language IN ('en', 'cy', 'both')),
    bot_status    TEXT NOT NULL
        CHECK (bot_status IN ('member', 'administrator', 'restricted', 'left', 'kicked')),
    rights        TEXT NOT NULL DEFAULT '{}',          -- JSON: the bot's rights as last seen
    linked_at     TEXT NOT NULL,                       -- when the bot was first seen there
    changed_at    TEXT NOT NULL,                       -- when its standing last changed
    migrated_from INTEGER UNIQUE                       -- the basic group's id, once migrated
);
