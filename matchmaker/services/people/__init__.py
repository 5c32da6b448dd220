"""People: accounts, passwords, sign-ups, joining, profiles, tags and connections."""
