"""A real SMTP server for worker/tests/mail.rs: aiosmtpd (from PyPI) listening on
127.0.0.1:<port>, writing every message it accepts to the maildir <dir>, with the envelope
recipients in an X-RcptTo header. A recipient whose address starts with "bounce" is refused
with 550, the permanent error a mailbox that does not exist gets.

Usage: python3 smtp_sink.py <port> <maildir> [starttls|implicit <cert.pem> <key.pem>].
With "starttls" the server refuses mail until the client upgrades with STARTTLS; with
"implicit" it speaks TLS from the first byte (smtps). Prints "ready" once it accepts
connections and serves until it is killed.
"""

import ssl
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
    kwargs = {}
    if len(sys.argv) == 6:
        mode, cert, key = sys.argv[3:6]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if mode == "starttls":
            kwargs = {"tls_context": context, "require_starttls": True}
        elif mode == "implicit":
            kwargs = {"ssl_context": context}
        else:
            sys.exit(f"unknown TLS mode {mode!r}")
    controller = Controller(Sink(maildir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
