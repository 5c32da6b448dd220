"""Use cases, by capability: every rule and every write; they flush, their caller commits."""
