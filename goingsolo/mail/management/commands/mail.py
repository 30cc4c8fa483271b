"""`goingsolo mail ACTION …`: inbound mail from the command line.

Each action is a subparser added in `add_arguments` and a `handle_<action>` method
(dashes become underscores), so new ones (`receive`, `import-mbox`) slot in the same way.

    goingsolo mail trim PATH    prints the text that would be posted from PATH, a full
                                message (.eml) or a plain-text body
    goingsolo mail receive [--sender S] [--recipient R …] [--client-address IP] [--helo H]
                                reads a message on standard input (an MTA's pipe
                                transport), stores it and processes it; exits with a
                                sysexits code: 0 accepted, 65 not a message or too large,
                                67 no recipient of ours, 75 could not store (try later);
                                the client's address and HELO name let SPF be checked
    goingsolo mail import-mbox GROUP FILE
                                imports an mbox archive into GROUP's threads (idempotent)
    goingsolo mail process      processes messages left unprocessed (a lost job), and
                                rejects those whose sender did not confirm them in time
                                (the worker's schedule does it every five minutes)

Outbound actions (send-queued, send-digests, purge-sent): see ../outbound_commands.py.
"""

import os
import sys
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from goingsolo.groups.models import Group
from goingsolo.mail.addresses import accepts_recipient
from goingsolo.mail.inbound.mbox import import_mbox
from goingsolo.mail.inbound.routing import inbound_process
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.inbound.trim import body_to_post, decode_text, text_to_post
from goingsolo.mail.management import outbound_commands
from goingsolo.mail.schedule import catch_up_inbound

# sysexits.h: what an MTA's pipe transport understands.
EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_NOUSER = 67
EX_TEMPFAIL = 75

# Headers a mail server writes with the address it delivered to, in the order they are
# trusted when the pipe transport does not pass the recipient.
RECIPIENT_HEADERS = ("X-Original-To", "Delivered-To", "Envelope-To", "To", "Cc")

# Headers that tell a message from a plain-text body; a message has at least two.
MESSAGE_HEADERS = {
    "content-type",
    "date",
    "from",
    "message-id",
    "mime-version",
    "received",
    "return-path",
    "subject",
    "to",
}


class Command(BaseCommand):
    help = (
        "Inbound mail: trim shows what a reply by email would post; receive takes a message "
        "on standard input; import-mbox imports an archive; process catches up."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        trim = actions.add_parser(
            "trim", help="print the text that would be posted from a message or a body"
        )
        trim.add_argument("path", type=Path, help="a full message (.eml) or a plain-text body")
        receive = actions.add_parser(
            "receive", help="store and process a message read on standard input"
        )
        receive.add_argument(
            "--sender", default=None, help="the envelope sender (MAIL FROM); <> for none"
        )
        receive.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="an envelope recipient (repeatable); else read from the headers",
        )
        receive.add_argument(
            "--client-address",
            default="",
            help="the IP address of the SMTP client that delivered the message (for SPF)",
        )
        receive.add_argument(
            "--helo", default="", help="the HELO/EHLO name of that client (for SPF)"
        )
        mbox = actions.add_parser("import-mbox", help="import an mbox archive into a group")
        mbox.add_argument("group", help="the group's address (slug)")
        mbox.add_argument("file", type=Path, help="the mbox file")
        mbox.add_argument("--every", type=int, default=100, help="report progress every N")
        actions.add_parser("process", help="process messages left unprocessed")
        outbound_commands.add_parsers(actions)

    def handle(self, *args, action, **options):
        name = "handle_" + action.replace("-", "_")
        if hasattr(outbound_commands, name):
            return getattr(outbound_commands, name)(self, **options)
        getattr(self, name)(**options)

    def handle_trim(self, *, path, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        if looks_like_message(data):
            text = text_to_post(data)
        else:
            text = body_to_post(decode_text(data))
        self.stdout.write(text)

    def handle_receive(self, *, sender, recipient, client_address, helo, **options):
        raw = sys.stdin.buffer.read(settings.GOINGSOLO_MAX_MESSAGE_BYTES + 1)
        if not raw.strip():
            self._exit(EX_DATAERR, "5.6.0 Empty message")
        if len(raw) > settings.GOINGSOLO_MAX_MESSAGE_BYTES:
            self._exit(EX_DATAERR, "5.3.4 Message too big")
        if sender is None:
            sender = os.environ.get("SENDER")
        if sender is not None and sender.strip() in ("", "<>"):
            # Postfix passes ${sender} (and $SENDER) empty for MAIL FROM:<>; the listener
            # keeps that as "<>", which loops.loop_reason reads.
            sender = "<>"
        recipients = recipient or _recipients_from_environment() or _recipients_in(raw)
        ours = []
        for address in recipients:
            try:
                if accepts_recipient(address):
                    ours.append(address)
            except Exception:
                self._exit(EX_TEMPFAIL, "4.3.0 Temporary failure, try again later")
        if not ours:
            self._exit(EX_NOUSER, "5.1.1 No such list or address here")
        try:
            message = inbound_store(
                raw=raw,
                mail_from=sender,
                recipients=ours,
                client_address=client_address,
                helo=helo,
            )
        except Exception as error:
            self._exit(EX_TEMPFAIL, f"4.3.0 Could not store the message: {error}")
        message = inbound_process(message.pk)
        self.stdout.write(f"{message.pk} {message.status}")

    def _exit(self, code, text):
        self.stderr.write(text)
        sys.exit(code)

    def handle_import_mbox(self, *, group, file, every, **options):
        found = Group.objects.filter(slug=group).first()
        if found is None:
            raise CommandError(f"No group has the address {group!r}.")
        if not file.is_file():
            raise CommandError(f"Cannot read {file}.")

        def progress(done, total):
            self.stdout.write(f"{done}/{total}")

        result = import_mbox(group=found, path=file, progress=progress, every=every)
        self.stdout.write(
            f"{result.added} posts added ({result.threads} new threads), "
            f"{result.skipped} already there, {result.failed} unreadable, "
            f"out of {result.total} messages."
        )

    def handle_process(self, **options):
        count, expired = catch_up_inbound()
        self.stdout.write(f"{count} messages processed.")
        if expired:
            self.stdout.write(f"{expired} messages not confirmed by their sender in time.")


def _recipients_from_environment():
    """Postfix's pipe and local delivery pass the recipient as $ORIGINAL_RECIPIENT or
    $RECIPIENT; exim as $LOCAL_PART@$DOMAIN."""
    for name in ("ORIGINAL_RECIPIENT", "RECIPIENT"):
        if os.environ.get(name):
            return [os.environ[name]]
    if os.environ.get("LOCAL_PART") and os.environ.get("DOMAIN"):
        return [f"{os.environ['LOCAL_PART']}@{os.environ['DOMAIN']}"]
    return []


def _recipients_in(raw):
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    found = []
    for name in RECIPIENT_HEADERS:
        try:
            values = [str(value) for value in headers.get_all(name) or []]
            found.extend(address for _name, address in getaddresses(values) if address)
        except Exception:
            continue
    return found


def looks_like_message(data: bytes) -> bool:
    """Whether `data` is a full message (headers, blank line, body) rather than a body."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(data)
    # A body's first line is no header: the parser notes a missing separator.
    if headers.defects:
        return False
    names = {name.lower() for name in headers.keys()}
    return len(names & MESSAGE_HEADERS) >= 2
