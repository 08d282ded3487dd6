"""Learning records (every schema, public included: retail students learn in public)."""
