-- A member's language for the door screen (issue 12): 'en' says its
-- message in English first; '' in French.
ALTER TABLE members ADD COLUMN lang TEXT NOT NULL DEFAULT '';
