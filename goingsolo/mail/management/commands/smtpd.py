import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.conf import settings
from django.core.management.base import BaseCommand

from goingsolo.mail.inbound.listener import InboundHandler


class LMTPController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


class Command(BaseCommand):
    help = "Runs the inbound mail listener (SMTP, or LMTP with --lmtp)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.GOINGSOLO_SMTPD_HOST)
        parser.add_argument("--port", type=int, default=settings.GOINGSOLO_SMTPD_PORT)
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args, host, port, lmtp, **options):
        controller_class = LMTPController if lmtp else Controller
        controller = controller_class(
            InboundHandler(),
            hostname=host,
            port=port,
            data_size_limit=settings.GOINGSOLO_MAX_MESSAGE_BYTES,
            server_hostname=settings.GOINGSOLO_MAIL_DOMAIN,
            ident="goingsolo",
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        controller.start()
        self.stdout.write(f"Mail listener ({'LMTP' if lmtp else 'SMTP'}) on {host}:{port}")
        try:
            stop.wait()
        finally:
            controller.stop()
