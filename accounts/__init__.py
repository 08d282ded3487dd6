"""Accounts (tenant app, present in every schema): users, roles, tokens, invitations, audit log."""
