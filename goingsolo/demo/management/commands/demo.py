import time

from django.core.management.base import BaseCommand, CommandError

from goingsolo.demo import loader
from goingsolo.demo.content.groups import GOING_SOLO
from goingsolo.demo.content.people import DEMO_DOMAINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Loads the demo community: the bilingual Going Solo group and two others, about sixty "
        "members around the world, and logins that all use the password "
        f"{DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load it even next to real members, or add what is missing to a loaded demo",
        )

    def handle(self, *args, force, **options):
        if loader.is_loaded() and not force:
            self.stdout.write(
                "The demo community is already loaded; nothing was added "
                "(--force adds whatever part of it is missing)."
            )
            self._print_logins()
            return
        real = loader.non_demo_users().count()
        if real and not force:
            raise CommandError(
                f"This database has {real} member(s) whose address is not a demo address "
                f"(@{', @'.join(DEMO_DOMAINS)}): the demo is meant for an empty instance. "
                "Run `goingsolo demo --force` to add it anyway."
            )

        started = time.monotonic()
        self.stdout.write("Loading the demo community…")
        demo = loader.load(report=self._report)
        going_solo = demo.groups[GOING_SOLO]
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f} s. The demo has {len(demo.users)} people "
            f"and {len(demo.groups)} groups; {going_solo.name} has {going_solo.member_count} members."
        )
        self._print_logins()

    def _report(self, step, done, total):
        self.stdout.write(f"  {step} {done}/{total}{'…' if done < total else ''}")

    def _print_logins(self):
        self.stdout.write("")
        for line in loader.login_lines():
            self.stdout.write(line)
