-- A space's own books (issue 14, central.Space.Books): values of the
-- settings association.*, pennylane.* and helloasso.* (central.Setting.Books)
-- of a space that is a separate association, over the network's, as a JSON
-- object of key to value ('{}': the network's books). Secrets (tokens) are
-- kept as the settings table keeps the network's.
ALTER TABLE spaces ADD COLUMN books TEXT NOT NULL DEFAULT '{}';
