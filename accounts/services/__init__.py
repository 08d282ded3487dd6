"""Account actions. Every write goes through one function here: atomic, audited, side effects
(e-mail) after commit."""
