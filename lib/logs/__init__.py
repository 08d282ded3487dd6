"""Structured logging: request ids, tenant/user context, redaction, JSON and plain formatters.

Named `logs`, not `logging`, so nothing here can be mistaken for the standard library module.
See docs/logging.md for the format and the fields.
"""
