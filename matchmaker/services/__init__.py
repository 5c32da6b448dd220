"""Use cases: every rule and every write. One public function is one transaction."""
