-- A space's own door policies (issue 14, central.Space.Policies): settings
-- among central.SpacePolicyKeys that its kiosks use instead of the
-- network's, as a JSON object of key to value ('{}': none).
ALTER TABLE spaces ADD COLUMN policies TEXT COLLATE "C" NOT NULL DEFAULT '{}';
