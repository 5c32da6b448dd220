"""Planning: the engine adapter, runs, review, publishing, edits, pair rules, refills."""
