"""Discussions at scale: seeds threads and posts, then times the pages members load.

    .venv/bin/python bench/discussions.py [--threads 50000] [--posts 500000] [--groups 20]
    .venv/bin/python bench/discussions.py --database-url postgres://postgres@127.0.0.1:5432/goingsolo

Without a PostgreSQL address (--database-url, else DATABASE_URL) it works on SQLite, in a
file of a temporary data folder. With one, it works in a database of its own on that
server, named after the address's with "_bench" added (goingsolo_bench), which it creates
and drops at the end: never in the instance's database.

Seeding writes rows the way an import would: bulk inserts in batches, one transaction
each, with the rendered HTML, language and counters computed here, one search document
per post, then `rebuild_index`. The text comes from a generator with a fixed seed, so two
runs seed the same content. Every group has one thread of 200 replies; the other replies
are spread unevenly, as in a real group (most threads have a few, some have many).

Then it times, in this process, the server side of each page (request to response through
Django's test client: middleware, views, queries, templates), for a member of half of the
groups, after a warm-up: the group's thread list (first and last page), the 200-reply
thread, the search page, and the home page. It prints p50 and p95 per page.

--keep keeps the data folder (data/bench-discussions/) or the PostgreSQL database, and a
later run with --keep and the same sizes reuses it instead of seeding again.
"""

import argparse
import html
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20080614
KEEP_DIR = ROOT / "data" / "bench-discussions"
BIG_THREAD_REPLIES = 200
THREAD_BATCH = 1000
TARGETS_MS = {"list": 50, "thread": 50, "search": 100}
# A word of many posts, two words, a place, a rare word.
SEARCHES = ["tarifs", "pricing clients", "coworking lausanne", "aquarelle"]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=50_000)
    parser.add_argument("--posts", type=int, default=500_000, help="opening posts included")
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page")
    parser.add_argument(
        "--keep", action="store_true", help="keep the seeded database, and reuse a kept one"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a postgres:// address (default: DATABASE_URL); SQLite when none",
    )
    parser.add_argument(
        "--queries", action="store_true", help="print each page's queries, slowest first"
    )
    args = parser.parse_args()
    if args.posts < args.threads + args.groups * BIG_THREAD_REPLIES:
        parser.error("--posts must be at least --threads + 200 × --groups")
    if args.threads < args.groups:
        parser.error("--threads must be at least --groups")
    return args


# --- Where the bench works, set before Django starts -------------------------------------


def bench_database_url(url):
    """The bench's own database on the server of URL: its name with "_bench" added."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "goingsolo"
    if not name.endswith("_bench"):
        name += "_bench"
    return urlunparse(parsed._replace(path=f"/{name}"))


def prepare_postgresql(url, keep):
    """Creates the bench database if it is missing; returns whether it existed."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not keep:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return bool(exists)


def drop_postgresql(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(args):
    """Environment for Django: a data folder, a database. Returns a cleanup function."""
    postgres = args.database_url.startswith(("postgres://", "postgresql://", "pgsql://"))
    if args.keep:
        data_dir = KEEP_DIR
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="goingsolo-bench-"))
    os.environ["GOINGSOLO_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # One member asks for the search page 55 times a minute: the site's search limit
    # (30 a minute) would answer 429, which is not what is measured.
    os.environ["GOINGSOLO_RATE_LIMITS"] = '{"search": ""}'
    if postgres:
        url = bench_database_url(args.database_url)
        prepare_postgresql(url, args.keep)
    else:
        url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url

    def cleanup():
        from django.db import connections

        connections.close_all()
        if postgres and not args.keep:
            drop_postgresql(url)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    return cleanup


# --- Text ---------------------------------------------------------------------------------

TEXT = {
    "fr": {
        "titles": [
            "Quels tarifs pour {un_metier} à {ville} ?",
            "Un client qui ne paie pas : que faire ?",
            "Comment organisez-vous vos matinées ?",
            "Coworking à {ville} : vos adresses ?",
            "Qui vient au {evenement} ?",
            "Facturer en {monnaie} quand on vit en Suisse",
            "Premier client en tant que {metier}",
            "{outil} ou tableur pour les factures ?",
            "Trop de travail en {mois}, pas assez en {mois2}",
            "Dire non à un client sans le perdre",
            "Assurance et prévoyance pour les indépendants",
            "Travailler avec des clients à l'étranger",
            "Retour sur l'atelier de {ville}",
            "Devis refusé : vous relancez ?",
            "Vacances : qui décroche vraiment ?",
            "Site web : afficher ses prix ou pas ?",
            "Micro-entreprise, société ou raison individuelle ?",
            "Trouver des clients sans démarcher",
            "Relire un contrat avant de signer",
            "Le blues du dimanche soir quand on est {metier}",
        ],
        "sentences": [
            "Je suis {metier} depuis {n} ans et je me pose encore la question.",
            "J'ai revu mes tarifs à la hausse en {mois} et aucun client n'est parti.",
            "Le mieux est de l'écrire noir sur blanc dans le devis.",
            "Chez moi, la relance part le lendemain de l'échéance, sans exception.",
            "On se retrouve souvent au coworking près de la gare de {ville}.",
            "Je bloque le vendredi matin pour les factures et l'administratif.",
            "Mon comptable m'a conseillé de mettre de côté un tiers de chaque paiement.",
            "Les grandes entreprises paient lentement, mais elles finissent par payer.",
            "J'utilise {outil} depuis deux ans et j'en suis plutôt content.",
            "Un acompte de trente pour cent au démarrage règle beaucoup de problèmes.",
            "Merci pour ce partage, ça m'aide beaucoup.",
            "Je plussoie, c'est exactement mon expérience.",
            "Pour ma part, je travaille surtout avec des associations de {ville}.",
            "Le réseau m'a apporté plus de clients que toutes les plateformes.",
            "Je réponds aux mails l'après-midi, et personne ne s'en plaint.",
            "Un contrat court vaut mieux que pas de contrat du tout.",
            "La négociation avec les grands comptes reste difficile.",
            "Pensez à vérifier le seuil de la TVA avant la fin de l'année.",
            "J'ai fini par refuser ce projet, et je ne le regrette pas.",
            "On pourrait en parler au prochain {evenement}, non ?",
            "Mes tarifs journaliers ont doublé en {n} ans, et c'était nécessaire.",
            "Le décalage horaire avec mes clients est devenu un argument.",
            "Je prends toujours deux semaines de vacances en {mois}.",
            "Un bon fauteuil est le meilleur investissement de ma première année.",
            "Je facture au forfait, avec deux allers-retours inclus.",
            "Ça dépend beaucoup du client et du délai demandé.",
            "Avec un délai court, j'ajoute une majoration de vingt-cinq pour cent.",
            "J'ai testé trois espaces de coworking à {ville}, le plus calme est le meilleur.",
            "Je note chaque compliment de client dans un carnet.",
            "Est-ce que quelqu'un a un modèle de conditions générales ?",
            "Bonne question, je me la pose aussi depuis que je suis {metier}.",
            "Les impôts des indépendants changent encore cette année.",
            "Je garde trois mois de charges sur un compte à part.",
            "Pour la facture, j'indique toujours un délai de paiement clair.",
            "Le téléphone reste en mode avion jusqu'à onze heures.",
            "La solitude du travail indépendant arrive sans prévenir.",
        ],
        "chat": [
            "Bonjour à toutes et à tous !",
            "Merci, je n'y avais pas pensé.",
            "Je suis d'accord avec ce qui a été dit plus haut.",
            "Bonne journée à vous.",
            "Je reviens vers vous dès que j'en sais plus.",
            "C'est une très bonne idée, je la garde.",
            "Ah, je me reconnais complètement là-dedans !",
            "Je n'ai pas vraiment d'avis, mais je suis la discussion.",
            "Courage, ça finit toujours par s'arranger.",
            "Est-ce que tu peux préciser ce que tu entends par là ?",
            "Je partage ton avis, avec une nuance.",
            "Ça me rappelle une situation que j'ai vécue l'an dernier.",
            "Je lis ce fil avec beaucoup d'intérêt.",
            "On en reparle de vive voix la semaine prochaine ?",
            "Bravo pour ce beau projet !",
            "Je crois qu'il n'y a pas de bonne réponse unique.",
            "Tout dépend de ce que tu veux faire dans cinq ans.",
            "Je me suis posé exactement la même question hier.",
            "Bienvenue dans le groupe !",
            "Je ne savais pas, merci pour l'info.",
            "C'est drôle, j'ai lu un article là-dessus ce matin.",
            "Pour moi, ça a pris du temps, mais ça en valait la peine.",
            "Je te conseille d'en parler directement avec la personne.",
            "Honnêtement, je ferais pareil à ta place.",
            "Ce n'est pas facile, mais tu as déjà fait le plus dur.",
            "On pourrait organiser un petit atelier là-dessus.",
            "J'ai essayé, et ça n'a pas marché pour moi.",
            "Il faut parfois savoir lâcher prise.",
            "Très bonne remarque, je n'avais pas vu les choses ainsi.",
            "Je te laisse mon avis pour ce qu'il vaut.",
        ],
        "rare": [
            "Quelqu'un connaît un bon ostéopathe du côté de Fribourg ?",
            "Le soir, je me détends avec l'aquarelle.",
            "Mon voisin fait de l'apiculture et m'a offert du miel.",
            "J'ai enfin réparé ma vieille machine à écrire.",
        ],
        "metier": [
            "graphiste",
            "développeur",
            "traductrice",
            "photographe",
            "consultante",
            "rédacteur",
            "illustratrice",
            "coach",
            "comptable",
            "monteur vidéo",
        ],
        "un_metier": [
            "un graphiste",
            "une traductrice",
            "un photographe",
            "une consultante",
            "un développeur",
            "une rédactrice",
        ],
        "ville": ["Lausanne", "Genève", "Lyon", "Paris", "Bruxelles", "Montréal", "Neuchâtel"],
        "evenement": ["SoloCamp", "apéro des indépendants", "atelier compta", "barcamp"],
        "mois": ["janvier", "mars", "mai", "juillet", "septembre", "novembre"],
        "mois2": ["février", "avril", "juin", "août", "octobre", "décembre"],
        "monnaie": ["euros", "dollars", "livres"],
        "outil": ["un logiciel en ligne", "un tableur", "Bexio", "Tiime", "un vieux Word"],
    },
    "en": {
        "titles": [
            "Pricing advice for {a_metier} in {ville}",
            "What do you do when a client pays late?",
            "How do you organise your mornings?",
            "Coworking in {ville}: any tips?",
            "Who is coming to the {evenement}?",
            "Invoicing in {monnaie} from abroad",
            "First client as a {metier}",
            "{outil} or a spreadsheet for invoices?",
            "Too busy in {mois}, too quiet in {mois2}",
            "Saying no to a client without losing them",
            "Insurance and pensions for freelancers",
            "Working with clients across time zones",
            "Notes from the {ville} workshop",
            "Quote rejected: do you follow up?",
            "Holidays: who really switches off?",
            "Do you put your rates on your website?",
            "Sole trader or limited company?",
            "Finding clients without cold calling",
            "Reading a contract before you sign",
            "Sunday evening blues as a {metier}",
        ],
        "sentences": [
            "I have been a freelance {metier} for {n} years and I still wonder about this.",
            "I raised my rates in {mois} and not a single client left.",
            "The best thing is to put it in writing in the quote.",
            "My reminder goes out the day after the due date, no exceptions.",
            "We often meet at the coworking space near the station in {ville}.",
            "I block Friday mornings for invoices and admin.",
            "My accountant told me to set aside a third of every payment.",
            "Large companies pay slowly, but they do pay in the end.",
            "I have used {outil} for two years and I am quite happy with it.",
            "A thirty percent deposit up front solves a lot of problems.",
            "Thanks for sharing, this really helps.",
            "Same here, that is exactly my experience.",
            "I mostly work with small charities in {ville}.",
            "My network brought me more clients than any platform did.",
            "I answer email in the afternoon and nobody has ever complained.",
            "A short contract is better than no contract at all.",
            "Negotiating with large companies is still hard.",
            "Check the VAT threshold before the end of the year.",
            "I ended up turning that project down and I do not regret it.",
            "We could talk about it at the next {evenement}.",
            "My day rate doubled in {n} years, and it had to.",
            "The time difference with my clients has become a selling point.",
            "I always take two weeks off in {mois}.",
            "A good chair was the best investment of my first year.",
            "I charge a fixed price with two rounds of changes included.",
            "It depends a lot on the client and the deadline.",
            "For a rush job I add twenty-five percent.",
            "I tried three coworking spaces in {ville}, the quietest one is the best.",
            "I keep every compliment from a client in a notebook.",
            "Does anyone have a template for terms and conditions?",
            "Good question, I have been asking myself the same since I became a {metier}.",
            "Taxes for the self-employed are changing again this year.",
            "I keep three months of expenses in a separate account.",
            "On the invoice I always state clear payment terms.",
            "My phone stays in flight mode until eleven.",
            "The loneliness of working alone creeps up on you.",
        ],
        "chat": [
            "Hello everyone!",
            "Thanks, I hadn't thought of that.",
            "I agree with what was said above.",
            "Have a good day, all.",
            "I'll come back to you when I know more.",
            "That's a great idea, I'm keeping it.",
            "Ha, I recognise myself completely in this!",
            "No strong opinion, but I'm following the thread.",
            "Hang in there, it always works out in the end.",
            "Could you say a bit more about what you mean?",
            "I share your view, with one nuance.",
            "This reminds me of something that happened to me last year.",
            "Reading this thread with a lot of interest.",
            "Shall we talk about it in person next week?",
            "Congratulations on the new project!",
            "I don't think there is one right answer.",
            "It all depends on where you want to be in five years.",
            "I was asking myself exactly the same thing yesterday.",
            "Welcome to the group!",
            "I didn't know that, thanks for the tip.",
            "Funny, I read an article about this just this morning.",
            "It took me a while, but it was worth it.",
            "I'd suggest talking to them directly.",
            "Honestly, I would do the same in your shoes.",
            "It isn't easy, but you have done the hardest part.",
            "We could run a small workshop on this.",
            "I tried it and it didn't work for me.",
            "Sometimes you just have to let it go.",
            "Good point, I hadn't seen it that way.",
            "Just my two cents.",
        ],
        "rare": [
            "Does anyone know a good osteopath near Harrogate?",
            "In the evenings I unwind with watercolour painting.",
            "My neighbour keeps bees and gave me a jar of honey.",
            "I finally repaired my old typewriter.",
        ],
        "metier": [
            "designer",
            "developer",
            "translator",
            "photographer",
            "consultant",
            "copywriter",
            "illustrator",
            "coach",
            "bookkeeper",
            "video editor",
        ],
        "a_metier": [
            "a designer",
            "a translator",
            "a photographer",
            "a consultant",
            "a developer",
            "an illustrator",
        ],
        "ville": ["Leeds", "London", "Manchester", "Lausanne", "Berlin", "Toronto", "New York"],
        "evenement": ["SoloCamp", "freelancers' drinks", "bookkeeping workshop", "barcamp"],
        "mois": ["January", "March", "May", "July", "September", "November"],
        "mois2": ["February", "April", "June", "August", "October", "December"],
        "monnaie": ["euros", "dollars", "pounds"],
        "outil": ["an online invoicing tool", "a spreadsheet", "FreeAgent", "Xero", "old Word"],
    },
}
SLOTS = ("metier", "un_metier", "a_metier", "ville", "evenement", "mois", "mois2", "monnaie")
SLOTS += ("outil",)


def fill(template, words, rng):
    values = {key: rng.choice(words[key]) for key in SLOTS if "{" + key in template}
    if "{n}" in template:
        values["n"] = rng.randint(2, 15)
    return template.format(**values)


def make_body(language, rng):
    """(Markdown body, its HTML): one to three short paragraphs."""
    words = TEXT[language]
    paragraphs = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        sentences = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            # About half about work, half conversation; now and then something else.
            draw = rng.random()
            bank = "rare" if draw < 0.002 else "sentences" if draw < 0.5 else "chat"
            sentences.append(fill(rng.choice(words[bank]), words, rng))
        paragraphs.append(" ".join(sentences))
    body = "\n\n".join(paragraphs)
    body_html = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return body, body_html


# --- Seeding ------------------------------------------------------------------------------


def reply_counts(args, rng):
    """Replies per thread: 200 for the first thread of each group, the rest spread with a
    long tail (a Pareto draw per thread), adding up to --posts."""
    threads, groups = args.threads, args.groups
    spare = args.posts - threads - groups * BIG_THREAD_REPLIES
    weights = [min(rng.paretovariate(1.6), 60.0) for _ in range(threads - groups)]
    counts = [0] * (threads - groups)
    for index in rng.choices(range(threads - groups), weights=weights, k=spare):
        counts[index] += 1
    return [BIG_THREAD_REPLIES] * groups + counts


def seed(args):
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from goingsolo.accounts.models import User
    from goingsolo.core.models import SearchDocument
    from goingsolo.core.search import rebuild_index
    from goingsolo.discussions.models import (
        Post,
        Reaction,
        ReadState,
        Thread,
        ThreadSubscription,
    )
    from goingsolo.groups.models import Group, JoinPolicy, Membership, Role, Visibility

    rng = random.Random(SEED)
    now = timezone.now()
    began = time.perf_counter()
    emoji = [value for value, _label in Reaction.Emoji.choices]

    # People: a member of half of the groups reads; the others write.
    user_count = max(200, args.threads // 25)
    password = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"member{number}@bench.example",
                password=password,
                display_name=f"Member {number}",
                handle=f"member{number}",
                language="fr" if number % 2 else "en",
                date_joined=now - timedelta(days=4 * 365),
            )
            for number in range(user_count)
        )
        groups = Group.objects.bulk_create(
            Group(
                name=f"Going Solo {number + 1}",
                slug=f"bench-{number + 1}",
                visibility=Visibility.CLOSED,
                join_policy=JoinPolicy.APPROVAL,
                created_at=now - timedelta(days=4 * 365),
            )
            for number in range(args.groups)
        )
        reader = users[0]
        members = {group.pk: set() for group in groups}
        for group in groups[: (args.groups + 1) // 2]:
            members[group.pk].add(reader.pk)
        for user in users[1:]:
            for group in rng.sample(groups, min(3, len(groups))):
                members[group.pk].add(user.pk)
        memberships = []
        for index, group in enumerate(groups):
            owner = users[1 + index % (len(users) - 1)].pk
            members[group.pk].add(owner)
            for user_id in sorted(members[group.pk]):
                memberships.append(
                    Membership(
                        group=group,
                        user_id=user_id,
                        role=Role.OWNER if user_id == owner else Role.MEMBER,
                        joined_at=now - timedelta(days=3 * 365),
                        rules_accepted_at=now - timedelta(days=3 * 365),
                    )
                )
            group.member_count = len(members[group.pk])
        Membership.objects.bulk_create(memberships, batch_size=2000)
        Group.objects.bulk_update(groups, ["member_count"])
    writers = {group_id: sorted(ids - {reader.pk}) for group_id, ids in members.items()}
    reader_groups = {group.pk for group in groups[: (args.groups + 1) // 2]}
    print(f"  {user_count} members, {args.groups} groups ({time.perf_counter() - began:.0f} s)")

    replies = reply_counts(args, rng)
    # The first thread of each group is its long one; the others go to random groups.
    thread_groups = [group.pk for group in groups] + [
        rng.choice(groups).pk for _ in range(args.threads - args.groups)
    ]
    slugs = {group.pk: group.slug for group in groups}
    every = max(THREAD_BATCH, (args.threads // 10) // THREAD_BATCH * THREAD_BATCH)
    posts_done = 0
    for first in range(0, args.threads, THREAD_BATCH):
        last = min(first + THREAD_BATCH, args.threads)
        threads, plans = [], []
        for index in range(first, last):
            group_id = thread_groups[index]
            language = "fr" if rng.random() < 0.5 else "en"
            words = TEXT[language]
            started = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            if index < args.groups:
                started = now - timedelta(days=20)  # the long threads are recent
            count = 1 + replies[index]
            # Replies come over a few days, sooner for a busy thread; never in the future.
            span = (now - started).total_seconds() * 0.95
            gaps = [rng.expovariate(1.0) for _ in range(count - 1)]
            total = sum(gaps) or 1.0
            stretch = min(span, rng.uniform(3600, 20 * 86400) * max(1, count / 10)) / total
            moments, moment = [started], started
            for gap in gaps:
                moment = moment + timedelta(seconds=gap * stretch)
                moments.append(moment)
            authors = [rng.choice(writers[group_id]) for _ in range(count)]
            threads.append(
                Thread(
                    group_id=group_id,
                    author_id=authors[0],
                    title=fill(rng.choice(words["titles"]), words, rng),
                    created_at=started,
                    last_activity_at=moments[-1],
                    last_post_author_id=authors[-1],
                    post_count=count,
                    last_position=count,
                    language=language,
                )
            )
            plans.append((moments, authors, language))
        with transaction.atomic():
            Thread.objects.bulk_create(threads, batch_size=500)
            posts, subscriptions, read_states = [], [], []
            for thread, (moments, authors, language) in zip(threads, plans, strict=True):
                other = "en" if language == "fr" else "fr"
                for position, (moment, author_id) in enumerate(
                    zip(moments, authors, strict=True), start=1
                ):
                    # Most replies in the thread's language, some in the other.
                    post_language = language if position == 1 or rng.random() < 0.85 else other
                    body, body_html = make_body(post_language, rng)
                    reactions = []
                    if rng.random() < 0.25:
                        reactors = rng.sample(writers[thread.group_id], rng.randint(1, 4))
                        reactions = [(user_id, rng.choice(emoji)) for user_id in reactors]
                    counts = {}
                    for _user_id, choice in reactions:
                        counts[choice] = counts.get(choice, 0) + 1
                    post = Post(
                        thread_id=thread.pk,
                        group_id=thread.group_id,
                        author_id=author_id,
                        position=position,
                        body=body,
                        body_html=body_html,
                        language=post_language,
                        created_at=moment,
                        reaction_counts={e: counts[e] for e in emoji if e in counts},
                    )
                    post.bench_reactions = reactions
                    posts.append(post)
                subscriptions.append(
                    ThreadSubscription(
                        thread_id=thread.pk,
                        user_id=thread.author_id,
                        state=ThreadSubscription.State.FOLLOWING,
                    )
                )
                readers = set(rng.sample(writers[thread.group_id], rng.randint(0, 5)))
                readers.add(thread.author_id)
                readers.add(thread.last_post_author_id)
                for user_id in readers:
                    read_states.append(
                        ReadState(
                            thread_id=thread.pk,
                            user_id=user_id,
                            last_read_position=thread.last_position
                            if rng.random() < 0.7
                            else rng.randint(1, thread.last_position),
                            read_at=thread.last_activity_at,
                        )
                    )
                # The reader opened half of the threads of their groups, some to the end.
                if thread.group_id in reader_groups and rng.random() < 0.5:
                    read_states.append(
                        ReadState(
                            thread_id=thread.pk,
                            user_id=reader.pk,
                            last_read_position=thread.last_position
                            if rng.random() < 0.6
                            else rng.randint(1, thread.last_position),
                            read_at=thread.last_activity_at,
                        )
                    )
            Post.objects.bulk_create(posts, batch_size=1000)
            Reaction.objects.bulk_create(
                (
                    Reaction(
                        post_id=post.pk, user_id=user_id, emoji=choice, created_at=post.created_at
                    )
                    for post in posts
                    for user_id, choice in post.bench_reactions
                ),
                batch_size=2000,
            )
            ThreadSubscription.objects.bulk_create(subscriptions, batch_size=2000)
            ReadState.objects.bulk_create(read_states, batch_size=2000)
            titles = {thread.pk: thread.title for thread in threads}
            SearchDocument.objects.bulk_create(
                (
                    SearchDocument(
                        kind="post",
                        object_id=post.pk,
                        group_id=post.group_id,
                        author_id=post.author_id,
                        language=post.language,
                        title=titles[post.thread_id] if post.position == 1 else "",
                        body=post.body,
                        url=f"/g/{slugs[post.group_id]}/t/{post.thread_id}/#post-{post.position}",
                        created_at=post.created_at,
                    )
                    for post in posts
                ),
                batch_size=2000,
            )
        posts_done += len(posts)
        if last == args.threads or last % every == 0:
            print(
                f"  threads {last:,}/{args.threads:,}, posts {posts_done:,}/{args.posts:,} "
                f"({time.perf_counter() - began:.0f} s)",
                flush=True,
            )

    started = time.perf_counter()
    step = max(10_000, args.posts // 10)

    def progress(done):
        if done % step < 2000 or done == args.posts:
            print(f"  search index {done:,}/{args.posts:,}", flush=True)

    rebuild_index(batch_size=2000, progress=progress)
    print(f"  rebuild_index: {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        # What an operator runs after an import; autovacuum would do it later.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  seeded in {time.perf_counter() - began:.0f} s")


def seeded(args):
    """Whether the database already holds a seed of these sizes (for --keep)."""
    from goingsolo.discussions.models import Post, Thread
    from goingsolo.groups.models import Group

    return (
        Group.objects.filter(slug__startswith="bench-").count() == args.groups
        and Thread.objects.count() == args.threads
        and Post.objects.count() == args.posts
    )


# --- Timing -------------------------------------------------------------------------------


def percentiles(durations):
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def pages():
    """(label, kind for the target, URL) of each page timed, for the reader."""
    from goingsolo.discussions.models import Thread
    from goingsolo.discussions.selectors import THREADS_PER_PAGE
    from goingsolo.groups.models import Group

    group = Group.objects.get(slug="bench-1")
    in_group = Thread.objects.filter(group=group, deleted_at__isnull=True).count()
    last_page = (in_group + THREADS_PER_PAGE - 1) // THREADS_PER_PAGE
    long_thread = (
        Thread.objects.filter(group=group, post_count=BIG_THREAD_REPLIES + 1).order_by("pk").first()
    )
    thread_url = long_thread.get_absolute_url()
    return [
        (f"group threads, page 1 of {last_page}", "list", group.get_absolute_url()),
        (
            f"group threads, page {last_page} of {last_page}",
            "list",
            f"{group.get_absolute_url()}?page={last_page}",
        ),
        ("thread of 200 replies, page 1", "thread", thread_url),
        ("thread of 200 replies, page 4", "thread", f"{thread_url}?page=4"),
        *[
            (f"search: {query}", "search", f"/search/?{urlencode({'q': query})}")
            for query in SEARCHES
        ],
        ("home page (all my groups)", "list", "/"),
    ]


class QueryLog:
    """The queries of one request, timed (Django resets connection.queries per request)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - began, sql, params))


def logged_get(client, url):
    from django.db import connection

    log = QueryLog()
    with connection.execute_wrapper(log):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return log.queries


def print_queries(queries):
    total = sum(duration for duration, _sql, _params in queries) * 1000
    print(f"    {len(queries)} queries, {total:.1f} ms in the database; slowest:")
    for duration, sql, params in sorted(queries, key=lambda query: -query[0])[:4]:
        print(f"      {duration * 1000:7.1f} ms  {sql[:400]}  {str(params)[:120]}")


def measure(args):
    """Times each page; returns the labels of the pages that missed their target."""
    from django.db import connection
    from django.test import Client

    from goingsolo.accounts.models import User
    from goingsolo.core.search import search

    reader = User.objects.get(email="member0@bench.example")
    client = Client(HTTP_HOST="localhost")  # an allowed host (SITE_URL's)
    client.force_login(reader)
    print(
        f"server time per page over {args.runs} requests after {args.warmup} warm-up ones, "
        f"for a member of half of the groups (load average {os.getloadavg()[0]:.1f}):"
    )
    print(
        f"  {'page':<36} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>7} "
        f"{'DB p50':>7}  target"
    )
    missed = []
    for label, kind, url in pages():
        for _ in range(args.warmup):
            logged_get(client, url)
        queries = logged_get(client, url)
        walls, cpus, databases = [], [], []
        for _ in range(args.runs):
            log = QueryLog()
            with connection.execute_wrapper(log):
                cpu, began = time.thread_time(), time.perf_counter()
                client.get(url)
                walls.append(time.perf_counter() - began)
                cpus.append(time.thread_time() - cpu)
            databases.append(sum(duration for duration, _sql, _params in log.queries))
        p50, p95 = percentiles(walls)
        cpu50, _ = percentiles(cpus)
        db50, _ = percentiles(databases)
        target = TARGETS_MS[kind]
        verdict = "ok" if p95 < target else "MISSED"
        if p95 >= target:
            missed.append(label)
        print(
            f"  {label:<36} {len(queries):>7} {p50:>7.1f} {p95:>7.1f} {cpu50:>7.1f} {db50:>7.1f}"
            f"  p95 < {target} ms: {verdict}",
            flush=True,
        )
        if args.queries:
            print_queries(queries)
    print(
        "  (CPU: this process's own time, SQLite included, PostgreSQL not; DB: time spent "
        f"in queries. Load average at the end {os.getloadavg()[0]:.1f}.)"
    )
    groups = reader.memberships.values("group_id")
    for query in SEARCHES:
        total = search(query, group_ids=groups).total
        print(f"  hits for {query!r} in the reader's groups: {total:,}")
    return missed


def describe():
    import django
    from django.db import connection

    from goingsolo.core.models import SearchDocument
    from goingsolo.discussions.models import Post, Reaction, ReadState, Thread

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    else:
        version = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 100}"
    print(
        f"{version}, Django {django.get_version()}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  {Thread.objects.count():,} threads, {Post.objects.count():,} posts, "
        f"{Reaction.objects.count():,} reactions, {ReadState.objects.count():,} read states, "
        f"{SearchDocument.objects.count():,} search documents"
    )


def main():
    args = parse_args()
    cleanup = configure(args)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        began = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"database ready ({time.perf_counter() - began:.0f} s): {os.environ['DATABASE_URL']}")
        if args.keep and seeded(args):
            print("reusing the seeded database (--keep)")
        else:
            if args.keep:
                call_command("flush", interactive=False, verbosity=0)
            print(
                f"seeding {args.threads:,} threads and {args.posts:,} posts in {args.groups} groups"
            )
            seed(args)
        describe()
        missed = measure(args)
        print("every target met" if not missed else f"targets missed: {', '.join(missed)}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
