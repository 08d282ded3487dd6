"""E-mails sent and failed, by stream.

Two streams leave the platform: `transactional` (invitations, password resets: `accounts.tasks`)
and `corporate` (assignment notices, reminders, digests, SSO certificate warnings: the outbox
delivered by `lms.corporate.services.notifications`). The outbox's backlog is a scrape-time gauge
(`lib.metrics.business`), so "nothing is sent while the outbox grows" is one alert.
"""

from __future__ import annotations

from prometheus_client import Counter

STREAMS = ("transactional", "corporate")

SENT = Counter("emails_sent_total", "E-mails handed to the mail server, by stream", ["stream"])
FAILED = Counter("email_send_failures_total", "E-mail sends that raised (retried later), by stream", ["stream"])

for _stream in STREAMS:  # every series exists from the start: rate() and absent-data alerts need it
    SENT.labels(_stream)
    FAILED.labels(_stream)
