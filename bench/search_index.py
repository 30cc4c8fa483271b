"""Search at scale: seeds N bilingual documents, then times search().

    python bench/search_index.py [--docs 100000] [--runs 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/goingsolo python bench/search_index.py

Without DATABASE_URL it works on its own SQLite file (data/bench-search.sqlite3), never
on the instance's database. Documents are written the way an import would write them
(bulk inserts, then rebuild_index) and removed at the end unless --keep is given; a few
hundred more go through index_document to time a single write.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite://{ROOT / 'data' / 'bench-search.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from goingsolo.core.models import SearchDocument  # noqa: E402
from goingsolo.core.search import index_document, rebuild_index, search  # noqa: E402

KINDS = ["bench-thread", "bench-post", "bench-post", "bench-post", "bench-event", "bench-wiki"]
GROUPS = 50
AUTHORS = 2000

TEXT = {
    "fr": {
        "titles": [
            "Quels tarifs pour {metier} à {ville} ?",
            "Retour sur le barcamp de {ville}",
            "{evenement} : inscriptions ouvertes",
            "Facturation et impôts quand on est {metier}",
            "Trouver ses premiers clients en {saison}",
            "Coworking ou café pour travailler à {ville} ?",
        ],
        "sentences": [
            "Je suis {metier} indépendant depuis {n} ans et je me pose des questions sur mes tarifs.",
            "Nos rencontres à {ville} reprennent en {saison}, au café près de la gare.",
            "Le {evenement} aura lieu à {ville} avec des ateliers sur la facturation.",
            "Quelqu'un a-t-il un modèle de facture conforme pour la TVA ?",
            "J'ai testé trois espaces de coworking à {ville}, voici mes impressions.",
            "Les impôts des indépendants changent cette année : pensez à vos acomptes.",
            "Comment fixer un tarif journalier quand on débute comme {metier} ?",
            "Merci à tous pour les échanges de l'été, c'était très riche.",
            "On cherche des bénévoles pour l'accueil du {evenement}.",
            "Mon réseau m'a apporté plus de clients que les plateformes.",
            "Qui vient au déjeuner des solos jeudi prochain ?",
            "La négociation avec les grands comptes reste difficile pour un {metier}.",
        ],
        "metier": [
            "graphiste",
            "développeur",
            "traductrice",
            "photographe",
            "consultante",
            "rédacteur",
        ],
        "ville": ["Lausanne", "Genève", "Lyon", "Paris", "Fribourg", "Neuchâtel"],
        "evenement": [
            "SoloCamp",
            "Going Solo Lausanne",
            "apéro des indépendants",
            "atelier compta",
        ],
        "saison": ["été", "automne", "hiver", "printemps"],
    },
    "en": {
        "titles": [
            "Pricing advice for a {metier} in {ville}",
            "Notes from the {ville} barcamp",
            "{evenement}: registration is open",
            "Invoices and taxes as a {metier}",
            "Finding your first clients in {saison}",
            "Coworking or coffee shop in {ville}?",
        ],
        "sentences": [
            "I have been a freelance {metier} for {n} years and I am rethinking my pricing.",
            "Our meetups in {ville} start again in {saison}, at the cafe near the station.",
            "The {evenement} takes place in {ville} with sessions on invoicing.",
            "Does anyone have an invoice template that works for VAT?",
            "I tried three coworking spaces in {ville}, here is what I found.",
            "Taxes for the self-employed change this year, mind your payments on account.",
            "How do you set a day rate when you start out as a {metier}?",
            "Thanks everyone for the discussions this summer, it was great.",
            "We are looking for volunteers to welcome people at the {evenement}.",
            "My network brought me more clients than any platform did.",
            "Who is coming to the going solo lunch next Thursday?",
            "Negotiating with large companies is still hard for a {metier}.",
        ],
        "metier": [
            "designer",
            "developer",
            "translator",
            "photographer",
            "consultant",
            "copywriter",
        ],
        "ville": ["Leeds", "Manchester", "London", "York", "Brighton", "Lausanne"],
        "evenement": [
            "SoloCamp",
            "Going Solo Leeds",
            "freelancers' drinks",
            "bookkeeping workshop",
        ],
        "saison": ["summer", "autumn", "winter", "spring"],
    },
}

QUERIES = [
    ("tarifs", {}),
    ("pricing clients", {}),
    ("cafe coworking", {}),
    ('"going solo"', {}),
    ("facture -impôts", {}),
    ("invoices", {"kinds": ["bench-thread"]}),
    ("zeugmatique", {}),
    ("été", {"language": "fr", "since": datetime(2025, 1, 1, tzinfo=UTC)}),
]


def fill(template, words, rng):
    return template.format(
        n=rng.randint(1, 20),
        **{key: rng.choice(words[key]) for key in ("metier", "ville", "evenement", "saison")},
    )


def make_document(rng, object_id, start):
    language = "fr" if rng.random() < 0.5 else "en"
    words = TEXT[language]
    sentences = [fill(rng.choice(words["sentences"]), words, rng) for _ in range(rng.randint(2, 9))]
    if rng.random() < 0.001:
        sentences.append("Un mot rare : zeugmatique.")
    return SearchDocument(
        kind=rng.choice(KINDS),
        object_id=object_id,
        group_id=rng.randint(1, GROUPS),
        author_id=rng.randint(1, AUTHORS),
        language=language,
        title=fill(rng.choice(words["titles"]), words, rng),
        body=" ".join(sentences),
        url=f"/bench/{object_id}/",
        created_at=start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
    )


def remove_bench_documents():
    SearchDocument.objects.filter(kind__startswith="bench-").delete()
    # SQLite: index rows of deleted documents are dropped by the next rebuild.
    rebuild_index()
    tidy()


def seed(count, batch_size, rng):
    start = datetime(2023, 1, 1, tzinfo=UTC)
    every = max(batch_size, count // 10)  # progress about every tenth

    def progress(step, done):
        if done == count or done % every < batch_size:
            print(f"  {step} {done}/{count}", flush=True)

    began = time.perf_counter()
    for first in range(0, count, batch_size):
        documents = [
            make_document(rng, n, start) for n in range(first, min(first + batch_size, count))
        ]
        with transaction.atomic():
            SearchDocument.objects.bulk_create(documents)
        progress("inserted", first + len(documents))
    print(f"  bulk inserts: {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    rebuild_index(batch_size=batch_size, progress=lambda done: progress("indexed", done))
    print(f"  rebuild_index: {time.perf_counter() - began:.1f} s")
    tidy()


def tidy():
    """What an operator runs after a large import: rebuild_index rewrote every row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE core_searchdocument")


def time_single_writes(rng, count=300):
    start = datetime(2023, 1, 1, tzinfo=UTC)
    durations = []
    for n in range(count):
        document = make_document(rng, 10_000_000 + n, start)
        began = time.perf_counter()
        index_document(
            kind=document.kind,
            object_id=document.object_id,
            group_id=document.group_id,
            author_id=document.author_id,
            language=document.language,
            title=document.title,
            body=document.body,
            url=document.url,
            created_at=document.created_at,
        )
        durations.append(time.perf_counter() - began)
    return durations


def percentiles(durations):
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=40, help="timed runs of each query")
    parser.add_argument("--keep", action="store_true", help="leave the documents in the database")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    remove_bench_documents()
    rng = random.Random(20251126)
    print(f"seeding {args.docs} documents")
    seed(args.docs, args.batch, rng)

    p50, p95 = percentiles(time_single_writes(rng))
    print(f"index_document: p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    visible = list(range(1, GROUPS + 1, 2))  # a reader who sees half of the groups
    print(f"search() over {len(visible)} of {GROUPS} groups, {args.runs} runs each, limit 20:")
    print(f"  {'query':<24} {'filters':<28} {'hits':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for query, filters in QUERIES:
        search(query, group_ids=visible, **filters)  # warm caches
        durations = []
        for _ in range(args.runs):
            began = time.perf_counter()
            results = search(query, group_ids=visible, **filters)
            durations.append(time.perf_counter() - began)
        p50, p95 = percentiles(durations)
        shown = ", ".join(
            f"{k}={v:%Y-%m-%d}" if isinstance(v, datetime) else f"{k}={v}"
            for k, v in filters.items()
        )
        print(f"  {query:<24} {shown:<28} {results.total:>6} {p50:>8.1f} {p95:>8.1f}")

    if not args.keep:
        remove_bench_documents()


if __name__ == "__main__":
    main()
