-- Badges on phones (issue 12): a phone badge is a badge of its own, with
-- no secret: its codes are signed by central's key (meta
-- code_signing_key, made once when the database is opened) and its hash is
-- badge.PhoneHash(id), so kiosks receive and look it up like a printed
-- card's. kind tells them apart; replacing a lost card revokes cards only.
ALTER TABLE badges ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'card' CHECK (kind IN ('card', 'phone'));
