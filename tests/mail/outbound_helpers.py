"""A real SMTP server for the outbound tests: shared by every area, so it lives in
tests/support.py; these names stay for the modules that import them from here."""

from tests.support import Received, SmtpSink, free_port, sink_fixture, use_sink

__all__ = ["Received", "SmtpSink", "free_port", "sink_fixture", "use_sink"]
