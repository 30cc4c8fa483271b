"""goingsolo detect-language: one language code per line of standard input."""

import sys

from django.core.management.base import BaseCommand

from goingsolo.core.language import detect_language


class Command(BaseCommand):
    help = (
        "Reads lines of text on standard input and prints the language of each, one code "
        "per line, among GOINGSOLO_LANGUAGES; an empty line gives the default language."
    )
    # call_command("detect-language", stdin=...) in tests; the console reads sys.stdin.
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        # readline, not a prefetching loop, so that each answer leaves as its line arrives.
        for line in iter(stdin.readline, ""):
            self.stdout.write(detect_language(line.rstrip("\r\n")))
            self.stdout.flush()
