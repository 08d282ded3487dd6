"""Development e-mail backend: one `.eml` file per message under `.data/mail/`.

Django's file backend appends every message of a connection to one file, which makes it hard for a
person or an end-to-end test to find "the invitation sent to x"; one file per message, named by time
and recipient, makes that a directory listing.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class FilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = Path(settings.EMAIL_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            recipient = re.sub(r"[^a-zA-Z0-9@._-]", "_", (message.to or ["unknown"])[0])
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{recipient}-{uuid.uuid4().hex[:8]}.eml"
            tmp = directory / f".{name}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(directory / name)  # atomic: readers never see half a message
            sent += 1
        return sent
