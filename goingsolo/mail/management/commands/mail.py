"""`goingsolo mail ACTION …`: inbound mail from the command line.

Each action is a subparser added in `add_arguments` and a `handle_<action>` method
(dashes become underscores), so new ones (`receive`, `import-mbox`) slot in the same way.

    goingsolo mail trim PATH    prints the text that would be posted from PATH, a full
                                message (.eml) or a plain-text body

Outbound actions (send-queued, send-digests, purge-sent): see ../outbound_commands.py.
"""

from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from goingsolo.mail.management import outbound_commands
from goingsolo.mail.trim import decode_text, text_to_post, trim_reply

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
    help = "Inbound mail: trim shows what a reply by email would post."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        trim = actions.add_parser(
            "trim", help="print the text that would be posted from a message or a body"
        )
        trim.add_argument("path", type=Path, help="a full message (.eml) or a plain-text body")
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
            text = trim_reply(decode_text(data))
        self.stdout.write(text)


def looks_like_message(data: bytes) -> bool:
    """Whether `data` is a full message (headers, blank line, body) rather than a body."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(data)
    # A body's first line is no header: the parser notes a missing separator.
    if headers.defects:
        return False
    names = {name.lower() for name in headers.keys()}
    return len(names & MESSAGE_HEADERS) >= 2
