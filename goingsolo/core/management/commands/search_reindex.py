from django.core.management.base import BaseCommand

from goingsolo.core.search import rebuild_index


class Command(BaseCommand):
    help = "Recomputes the search engine's data for every indexed document (after an import)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        def progress(done):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} documents…")

        count = rebuild_index(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Reindexed {count} documents."))
