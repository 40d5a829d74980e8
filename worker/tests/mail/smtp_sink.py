"""A real SMTP server for worker/tests/mail.rs: aiosmtpd (from PyPI) listening on
127.0.0.1:<port>, writing every message it accepts to the maildir <dir>, with the envelope
recipients in an X-RcptTo header. A recipient whose address starts with "bounce" is refused
with 550, the permanent error a mailbox that does not exist gets.

Usage: python3 smtp_sink.py <port> <maildir>. Prints "ready" once it accepts connections
and serves until it is killed.
"""

import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
