"""The demo community: the people, the groups and the steps that load them.

`goingsolo demo` runs `STEPS` in order, in one transaction. Each step is a function that
takes the `Demo` being loaded, adds its part and reports progress. A feature that brings
demo content (discussions, events, wiki notes…) adds a function here and appends it to
`STEPS`; it finds the people in `demo.users` (by the part of their address before the @)
and the groups in `demo.groups` (by slug).

Every step may run on a database that already holds part of the demo (`demo --force`):
it looks rows up by address or slug and adds only what is missing.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from goingsolo.accounts.models import User, handle_from
from goingsolo.groups.models import (
    Group,
    Invitation,
    JoinPolicy,
    JoinRequest,
    Membership,
    Role,
    Visibility,
)
from goingsolo.groups.services import group_create

# Every demo address ends with one of these (.example is reserved, RFC 2606): a member
# with another address is a real one, and the command will not mix the demo in unasked.
DEMO_DOMAINS = ("goingsolo.example",)
DEMO_DOMAIN = DEMO_DOMAINS[0]
DEMO_PASSWORD = "goingsolo-demo"
# The same seed gives the same demo on every run, so a bug report can name a member.
SEED = 2008

GOING_SOLO = "going-solo"
LEEDS = "going-solo-leeds"
SOLOCAMP = "solocamp-lausanne-organisation"

# Where people live: country code and time zone.
CITIES = {
    "Lausanne": ("CH", "Europe/Zurich"),
    "Genève": ("CH", "Europe/Zurich"),
    "Neuchâtel": ("CH", "Europe/Zurich"),
    "Zürich": ("CH", "Europe/Zurich"),
    "Paris": ("FR", "Europe/Paris"),
    "Lyon": ("FR", "Europe/Paris"),
    "Bordeaux": ("FR", "Europe/Paris"),
    "Marseille": ("FR", "Europe/Paris"),
    "Bruxelles": ("BE", "Europe/Brussels"),
    "Montréal": ("CA", "America/Toronto"),
    "Québec": ("CA", "America/Toronto"),
    "Toronto": ("CA", "America/Toronto"),
    "Leeds": ("GB", "Europe/London"),
    "Bradford": ("GB", "Europe/London"),
    "Harrogate": ("GB", "Europe/London"),
    "London": ("GB", "Europe/London"),
    "Berlin": ("DE", "Europe/Berlin"),
    "Barcelona": ("ES", "Europe/Madrid"),
    "Lisboa": ("PT", "Europe/Lisbon"),
    "Amsterdam": ("NL", "Europe/Amsterdam"),
    "New York": ("US", "America/New_York"),
    "San Francisco": ("US", "America/Los_Angeles"),
    "Buenos Aires": ("AR", "America/Argentina/Buenos_Aires"),
    "Tokyo": ("JP", "Asia/Tokyo"),
    "Melbourne": ("AU", "Australia/Melbourne"),
    "Dakar": ("SN", "Africa/Dakar"),
    "Casablanca": ("MA", "Africa/Casablanca"),
}


def _local_part(name):
    """ "Élodie Garnier" → "elodie.garnier"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.lower().replace("'", "").replace("-", " ").split())


@dataclass(frozen=True)
class Person:
    name: str
    city: str
    languages: list  # spoken, first the one they write in
    interface: str  # "en" or "fr"
    skills: str
    bio: str
    website: str = ""
    open_to_work: bool = False
    key: str = ""  # the address before @; from the name when not given

    def __post_init__(self):
        if not self.key:
            object.__setattr__(self, "key", _local_part(self.name))

    @property
    def email(self):
        return f"{self.key}@{DEMO_DOMAIN}"


P = Person

# fmt: off

# The people whose logins are printed.
STEPHANIE = P(
    "Stephanie", "Lausanne", ["fr", "en"], "fr",
    "réseaux sociaux, formation, conseil web, animation de communauté",
    "Consultante web et formatrice à Lausanne. J'ai organisé la conférence Going Solo en "
    "2008, puis le SoloCamp de Leeds ; ce groupe est la suite de cette aventure.",
    website="https://stephanie.example.net", key="stephanie",
)
OLIVER = P(
    "Oliver Hartley", "Leeds", ["en", "fr"], "en",
    "web development, Django, technical consulting",
    "Freelance web developer in Leeds. I came to the SoloCamp that replaced Going Solo "
    "Leeds and never quite left. I look after the group settings and the Leeds meetups.",
    website="https://hartley-web.example.com", open_to_work=True, key="oliver",
)
NATHALIE = P(
    "Nathalie Girard", "Montréal", ["fr", "en"], "fr",
    "traduction anglais-français, révision, localisation",
    "Traductrice anglais-français à Montréal depuis douze ans. Je modère le groupe pendant "
    "que l'Europe dort.",
    website="https://girard-traduction.example.org", key="nathalie",
)
MARCO = P(
    "Marco Bernasconi", "Genève", ["fr", "it", "en"], "fr",
    "photographie, portraits d'entreprise, reportage, vidéo",
    "Photographe à Genève : portraits, reportages, événements. Toujours partant pour une "
    "journée de coworking.",
    website="https://bernasconi-photo.example.com", open_to_work=True, key="marco",
)
LEA = P(
    "Léa Fontaine", "Lyon", ["fr", "en"], "fr",
    "illustration, motion design, édition jeunesse",
    "Illustratrice à Lyon, à mon compte depuis trois mois. Je cherche des gens qui sont "
    "passés par là avant moi.",
    open_to_work=True, key="lea",
)
HUGO = P(
    "Hugo Lambert", "Bordeaux", ["fr", "en"], "fr",
    "ébénisterie, mobilier sur mesure, vente en ligne",
    "Ébéniste à Bordeaux. Je fabrique des meubles sur mesure et j'apprends à les vendre "
    "en ligne.",
    website="https://atelier-lambert.example.net", key="hugo",
)

# Everyone in the Going Solo group, owner first.
GOING_SOLO_PEOPLE = [
    STEPHANIE,
    OLIVER,
    NATHALIE,
    MARCO,
    P("Camille Rochat", "Lausanne", ["fr", "de", "en"], "fr",
      "comptabilité, fiscalité des indépendants, TVA",
      "Fiduciaire indépendante à Lausanne. Je traduis le jargon fiscal en français courant.",
      website="https://rochat-fiduciaire.example.org"),
    P("Julien Favre", "Lausanne", ["fr", "en"], "fr",
      "développement web, Python, hébergement",
      "Développeur indépendant. Je fais des sites qui tiennent debout et je les héberge en "
      "Suisse.", website="https://favre.example.net", open_to_work=True),
    P("Sophie Meylan", "Lausanne", ["fr", "en", "de"], "en",
      "coaching, gestion du temps, prévention de l'épuisement",
      "Coach pour indépendant·es débordé·es. J'ai moi-même appris à dire non, un peu tard."),
    P("Nicolas Pittet", "Lausanne", ["fr", "en"], "fr",
      "rédaction, relations presse, communication associative",
      "Ancien journaliste, j'écris pour les PME et les associations vaudoises.",
      website="https://pittet-redaction.example.com"),
    P("Aline Bonvin", "Lausanne", ["fr", "en", "it"], "fr",
      "graphisme, identité visuelle, mise en page",
      "Graphiste. Logos, affiches, rapports annuels ; j'aime quand c'est simple et lisible.",
      website="https://alinebonvin.example.org", open_to_work=True),
    P("Isabelle Mercier", "Genève", ["fr", "en", "es"], "en",
      "UX research, user interviews, workshop facilitation",
      "UX researcher in Geneva, working mostly with NGOs and international organisations."),
    P("Pauline Rey", "Genève", ["fr", "en"], "fr",
      "droit des contrats, propriété intellectuelle, conditions générales",
      "Juriste indépendante. Je relis vos contrats avant qu'il ne soit trop tard.",
      website="https://rey-juriste.example.com"),
    P("Valentin Jacot", "Neuchâtel", ["fr", "de", "en"], "fr",
      "e-commerce, Shopify, automatisation",
      "J'aide les artisans à vendre en ligne sans y passer leurs soirées.", open_to_work=True),
    P("Thomas Keller", "Zürich", ["de", "en", "fr"], "en",
      "data analysis, dashboards, Excel training",
      "Data analyst gone solo. I turn messy spreadsheets into decisions.",
      website="https://keller-data.example.net"),
    P("Claire Lemoine", "Paris", ["fr", "en"], "fr",
      "rédaction web, copywriting, référencement",
      "Rédactrice web : j'aide les indépendant·es à dire clairement ce qu'ils font.",
      website="https://clairelemoine.example.com", open_to_work=True),
    P("Antoine Moreau", "Paris", ["fr", "en"], "fr",
      "design d'interfaces, Figma, design system",
      "Designer d'interfaces, quinze ans en agence puis le grand saut en 2011."),
    P("Élodie Garnier", "Paris", ["fr", "en", "it"], "fr",
      "sous-titrage, traduction audiovisuelle",
      "Je sous-titre des documentaires et des séries, de l'anglais et de l'italien vers le "
      "français.", website="https://garnier-soustitres.example.org"),
    P("Karim Benali", "Paris", ["fr", "ar", "en"], "fr",
      "développement mobile, iOS, Android",
      "Développeur mobile freelance, ancien de start-up. Disponible pour des missions "
      "courtes.", open_to_work=True),
    P("Hélène Roux", "Paris", ["fr", "en"], "en",
      "food photography, styling, recipe writing",
      "Photographe culinaire. I shoot for cookbooks and small food brands.",
      website="https://helene-roux.example.net"),
    P("Mathilde Perrin", "Lyon", ["fr", "en"], "fr",
      "expertise comptable, création d'entreprise, micro-entreprise",
      "Expert-comptable, j'accompagne surtout des créatifs et des consultants."),
    P("Romain Chevalier", "Lyon", ["fr", "en", "de"], "fr",
      "formation, facilitation, intelligence collective",
      "Facilitateur : j'anime des ateliers où l'on décide vraiment quelque chose.",
      website="https://chevalier-facilitation.example.com"),
    P("Inès Peeters", "Bruxelles", ["fr", "nl", "en"], "fr",
      "traduction juridique, interprétation",
      "Traductrice et interprète français-néerlandais-anglais à Bruxelles."),
    P("Gabriel Tremblay", "Montréal", ["fr", "en"], "fr",
      "montage vidéo, balados, réalisation",
      "Monteur vidéo et réalisateur de balados. J'aime les projets qui finissent à temps.",
      website="https://tremblay-prod.example.org", open_to_work=True),
    P("Émilie Gagnon", "Montréal", ["fr", "en"], "fr",
      "coaching de carrière, bilan de compétences",
      "Coach de carrière. J'ai quitté la fonction publique pour me lancer en 2010."),
    P("Sarah Cohen", "Montréal", ["en", "fr", "he"], "en",
      "grant writing, nonprofit communications",
      "Grant writer for nonprofits. Bilingual by necessity, freelance by choice.",
      website="https://sarahcohen.example.com"),
    P("Marie-Ève Lavoie", "Québec", ["fr", "en"], "fr",
      "rédaction technique, documentation, formation en ligne",
      "Rédactrice technique. Je rends les logiciels compréhensibles pour les humains."),
    P("Rachel Whitaker", "Leeds", ["en"], "en",
      "bookkeeping, payroll, tax returns",
      "Bookkeeper for creative freelancers. I like tidy spreadsheets and strong tea.",
      website="https://whitaker-books.example.org"),
    P("Daniel Okafor", "Leeds", ["en", "fr"], "en",
      "illustration, comics, editorial illustration",
      "Illustrator and comic artist. Learning French one Going Solo thread at a time.",
      open_to_work=True),
    P("Emma Sutcliffe", "Leeds", ["en"], "en",
      "event organising, community building, workshops",
      "I organise events for small businesses and co-run the Leeds meetups.",
      website="https://sutcliffe-events.example.net"),
    P("James Fletcher", "London", ["en", "fr"], "en",
      "brand strategy, naming, positioning workshops",
      "Brand strategist. Ten years in agencies, five on my own, never looked back."),
    P("Priya Raman", "London", ["en", "hi"], "en",
      "product management, interim roles, agile coaching",
      "Interim product manager between two missions, always happy to talk pricing.",
      open_to_work=True),
    P("Hannah Price", "London", ["en", "de"], "en",
      "copy editing, proofreading, style guides",
      "Editor and proofreader. Yes, I notice the double spaces.",
      website="https://hannahprice.example.org"),
    P("Lukas Becker", "Berlin", ["de", "en"], "en",
      "backend development, Go, DevOps",
      "Backend developer. I keep other people's servers up and my evenings free.",
      open_to_work=True),
    P("Johanna Richter", "Berlin", ["de", "fr", "en"], "fr",
      "traduction allemand-français-anglais, localisation",
      "Traductrice allemande, j'ai vécu six ans à Lyon et je travaille depuis Berlin.",
      website="https://richter-uebersetzung.example.com"),
    P("Marta Puig", "Barcelona", ["ca", "es", "en", "fr"], "en",
      "web design, WordPress, accessibility",
      "Web designer. Accessible sites for small cultural organisations.",
      website="https://martapuig.example.net", open_to_work=True),
    P("Jordi Vidal", "Barcelona", ["ca", "es", "en"], "en",
      "3D visualisation, architecture rendering",
      "I render buildings before they exist, from a desk with a view of the sea."),
    P("Inês Carvalho", "Lisboa", ["pt", "fr", "en"], "fr",
      "traduction portugais-français, tourisme, rédaction",
      "Traductrice portugais-français à Lisbonne, surtout pour le tourisme et la culture.",
      website="https://carvalho-traducao.example.org"),
    P("Tiago Ferreira", "Lisboa", ["pt", "en", "es"], "en",
      "remote work consulting, coworking management",
      "I run a small coworking space and help companies go remote without losing people."),
    P("Sanne de Vries", "Amsterdam", ["nl", "en", "de"], "en",
      "UX writing, content design",
      "Content designer. I write the words on buttons, and I care a lot about them.",
      website="https://sannedevries.example.com"),
    P("Rebecca Miller", "New York", ["en", "es"], "en",
      "public speaking coaching, presentation design",
      "Speaking coach. I help experts sound like themselves on stage.",
      website="https://rebeccamiller.example.net"),
    P("Kevin Brooks", "New York", ["en"], "en",
      "podcast production, audio editing",
      "Podcast producer in Brooklyn. Ask me about microphones, at your own risk.",
      open_to_work=True),
    P("Chloé Martin", "New York", ["fr", "en"], "fr",
      "traduction culinaire, rédaction de marque",
      "Française installée à New York, je traduis des livres de cuisine et des sites de "
      "marques."),
    P("Emily Chen", "San Francisco", ["en", "zh-hans"], "en",
      "product design, design sprints",
      "Product designer, freelance since the startup I worked for folded.",
      website="https://emilychen.example.org"),
    P("Jason Park", "San Francisco", ["en", "ko"], "en",
      "startup finance, part-time CFO, fundraising",
      "Part-time CFO for early-stage startups. Cash flow is a feeling too."),
    P("Lucía Fernández", "Buenos Aires", ["es", "fr", "en"], "fr",
      "développement front-end, React, intégration",
      "Développeuse front-end. J'ai appris le français à l'Alliance française et je "
      "travaille surtout pour des clients européens.", open_to_work=True),
    P("Martín Gómez", "Buenos Aires", ["es", "en"], "en",
      "travel photography, drone, travel writing",
      "Photographer and travel writer, usually somewhere between Patagonia and a deadline.",
      website="https://martingomez.example.com"),
    P("Yuki Tanaka", "Tokyo", ["ja", "en", "fr"], "en",
      "Japanese-English translation, game localisation",
      "Translator and game localiser. I work while Europe sleeps, which is convenient."),
    P("Aurélie Dumas", "Tokyo", ["fr", "ja", "en"], "fr",
      "illustration, guides de voyage, carnets",
      "Illustratrice installée à Tokyo depuis 2009. Je dessine des guides et des carnets de "
      "voyage.", website="https://aureliedumas.example.net"),
    P("Chloe Nguyen", "Melbourne", ["en", "vi"], "en",
      "social media, content strategy",
      "Social media strategist. I answer your questions from tomorrow.",
      open_to_work=True),
    P("Liam O'Brien", "Melbourne", ["en"], "en",
      "copywriting, brand voice, newsletters",
      "Copywriter. Newsletters people actually open.",
      website="https://obrien-copy.example.org"),
    P("Aminata Diop", "Dakar", ["fr", "en"], "fr",
      "développement web, formation au numérique",
      "Développeuse et formatrice. J'apprends aux femmes entrepreneures de Dakar à se "
      "lancer en ligne.", open_to_work=True),
    P("Moussa Ndiaye", "Dakar", ["fr", "en"], "fr",
      "conseil en communication, événementiel",
      "Consultant en communication et organisateur d'événements entre Dakar et Paris.",
      website="https://ndiaye-conseil.example.com"),
    P("Yasmine El Amrani", "Casablanca", ["fr", "ar", "en"], "fr",
      "gestion de projet, conseil RH",
      "Consultante RH, j'accompagne les petites équipes qui grandissent trop vite."),
]

# People of the Leeds group who are not in Going Solo.
LEEDS_PEOPLE = [
    P("Tom Ackroyd", "Leeds", ["en"], "en",
      "motion graphics, animation",
      "Motion designer. Found the Leeds group through a flyer in a café.",
      open_to_work=True),
    P("Aisha Khan", "Bradford", ["en", "ar"], "en",
      "accountancy for sole traders, self-assessment",
      "Accountant for sole traders in West Yorkshire.",
      website="https://khan-accounts.example.net"),
    P("Ben Holroyd", "Harrogate", ["en"], "en",
      "sound design, voice recording",
      "Sound designer working from a shed at the bottom of the garden."),
]

# People in no group: one who will explore, and the applicants waiting for an answer.
NOT_MEMBERS = [
    LEA,
    HUGO,
    P("Grace Kim", "Toronto", ["en", "ko"], "en",
      "voice-over, audiobook narration",
      "Voice-over artist. I read audiobooks and explainer videos from my home studio."),
    P("Nora Haddad", "Marseille", ["fr", "ar", "en"], "fr",
      "community management, réseaux sociaux",
      "Community manager indépendante depuis six mois, après dix ans en agence."),
]

# fmt: on

PEOPLE = GOING_SOLO_PEOPLE + LEEDS_PEOPLE + NOT_MEMBERS

# The logins `goingsolo run` and `goingsolo demo` print.
LOGINS = [
    ("owner of Going Solo", STEPHANIE.email),
    ("admin of Going Solo, owner of Going Solo Leeds", OLIVER.email),
    ("moderator of Going Solo", NATHALIE.email),
    ("member of Going Solo, invited to SoloCamp", MARCO.email),
    ("waiting for approval in Going Solo", HUGO.email),
    ("member of no group", LEA.email),
]

GOING_SOLO_QUESTIONS = [
    "What do you do as an independent worker? / Quelle est votre activité d'indépendant·e ?",
    "How did you hear about Going Solo? / Comment avez-vous connu Going Solo ?",
]


@dataclass
class GroupPlan:
    slug: str
    name: str
    owner: str  # key of a person
    visibility: str
    join_policy: str
    description_en: str = ""
    description_fr: str = ""
    rules: str = ""
    join_questions: list = field(default_factory=list)
    created_days_ago: int = 0
    members: list = field(default_factory=list)  # keys of people other than the owner
    roles: dict = field(default_factory=dict)  # key → role, for those not plain members


GROUPS = [
    GroupPlan(
        slug=GOING_SOLO,
        name="Going Solo",
        owner=STEPHANIE.key,
        visibility=Visibility.CLOSED,
        join_policy=JoinPolicy.APPROVAL,
        created_days_ago=4 * 365,
        description_en=(
            "Going Solo began in Lausanne in 2008, as a one-day conference about working "
            "independently in a connected world: how to get known, how to set your prices, "
            "how to organise yourself, how to break the isolation of working alone, how to "
            "keep work and life apart. Then came SoloCamp, the barcamp we held in Leeds "
            "instead of a second conference, and an email list that never quite took off.\n\n"
            "This group is what finally did. We are freelancers, translators, designers, "
            "developers, photographers, coaches, accountants… from Lausanne to the other side "
            'of the planet. We talk every day, from the very specific ("what do I do when a '
            'client won\'t pay?") to the very general ("how do you organise your '
            'mornings?").\n\n'
            "The group is bilingual: write in English or in French, whichever comes "
            "naturally, and don't hesitate to answer in the other one."
        ),
        description_fr=(
            "Going Solo est né à Lausanne en 2008, d'une conférence d'une journée sur le "
            "travail indépendant à l'heure d'internet : comment se faire connaître, comment "
            "fixer ses prix, comment s'organiser, comment rompre l'isolement du travailleur "
            "solitaire, comment garder l'équilibre entre vie privée et vie professionnelle. "
            "Il y a eu ensuite le SoloCamp, un barcamp à Leeds à la place d'une deuxième "
            "conférence, puis une liste de discussion qui n'a jamais vraiment pris.\n\n"
            "Ce groupe, lui, a pris. On y trouve des indépendant·es de tous les métiers "
            "(traduction, design, rédaction, développement, photo, coaching, "
            "comptabilité…), de Lausanne à l'autre bout de la planète. On y discute tous les "
            "jours, du cas particulier (« qu'est-ce que je fais quand un client ne paie "
            "pas ? ») au général (« comment organisez-vous vos matinées ? »).\n\n"
            "C'est un groupe bilingue : écrivez en français ou en anglais, comme ça vous "
            "vient, et n'hésitez pas à répondre dans l'autre langue."
        ),
        rules=(
            "1. Be kind, and assume good faith. / Soyez bienveillant·e et supposez la bonne "
            "foi de l'autre.\n"
            "2. English or French, as you like. / Français ou anglais, comme vous voulez.\n"
            "3. No unsolicited advertising: mention your services when they answer a "
            "question. / Pas de publicité non sollicitée : parlez de vos services quand ils "
            "répondent à une question.\n"
            "4. What is said here stays here: ask before you quote a member elsewhere. / Ce "
            "qui se dit ici reste ici : demandez avant de citer un membre ailleurs."
        ),
        join_questions=GOING_SOLO_QUESTIONS,
        members=[person.key for person in GOING_SOLO_PEOPLE[1:]],
        roles={OLIVER.key: Role.ADMIN, NATHALIE.key: Role.MODERATOR},
    ),
    GroupPlan(
        slug=LEEDS,
        name="Going Solo Leeds",
        owner=OLIVER.key,
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
        created_days_ago=3 * 365,
        description_en=(
            "Freelancers in and around Leeds. We started at the SoloCamp that replaced the "
            "Going Solo Leeds conference, and we have kept meeting since: coffee and "
            "co-working on the first Thursday of the month, a pub quiz team of dubious "
            "quality, and a lot of advice about clients, tax returns and loneliness. "
            "Everyone is welcome, whatever you do and wherever you work from."
        ),
        rules='Be kind. Keep self-promotion to the monthly "what are you working on" thread.',
        members=[
            STEPHANIE.key,
            "rachel.whitaker",
            "daniel.okafor",
            "emma.sutcliffe",
            "james.fletcher",
            "hannah.price",
            *[person.key for person in LEEDS_PEOPLE],
        ],
        roles={"emma.sutcliffe": Role.MODERATOR},
    ),
    GroupPlan(
        slug=SOLOCAMP,
        name="SoloCamp Lausanne — organisation",
        owner=STEPHANIE.key,
        visibility=Visibility.SECRET,
        join_policy=JoinPolicy.INVITATION,
        created_days_ago=60,
        description_fr=(
            "On prépare un SoloCamp francophone à Lausanne : une journée de barcamp pour "
            "indépendant·es, où l'on choisit ensemble les thèmes le matin et où chacun·e "
            "peut animer une discussion. Lieu, date, budget, communication : tout se décide "
            "ici avant d'être annoncé dans Going Solo."
        ),
        rules="Ce qui se prépare ici reste entre nous jusqu'à l'annonce officielle.",
        members=[
            "camille.rochat",
            "julien.favre",
            "nicolas.pittet",
            "aline.bonvin",
            "sophie.meylan",
        ],
        roles={"camille.rochat": Role.ADMIN},
    ),
]

# Applicants to Going Solo, with their answers to GOING_SOLO_QUESTIONS.
JOIN_REQUESTS = [
    (
        GOING_SOLO,
        HUGO.key,
        [
            "Ébéniste, je fabrique des meubles sur mesure dans mon atelier.",
            "Par Camille, qui fait ma comptabilité.",
        ],
    ),
    (
        GOING_SOLO,
        "grace.kim",
        [
            "Voice-over and audiobook narration, from my home studio in Toronto.",
            "Sarah Cohen told me about it at a conference in Montréal.",
        ],
    ),
    (
        GOING_SOLO,
        "nora.haddad",
        [
            "Community manager indépendante depuis six mois.",
            "J'ai lu un billet de blog sur la conférence de Lausanne.",
        ],
    ),
]

# Invitations waiting for an answer: group, invited person, who invited them.
INVITATIONS = [
    (SOLOCAMP, MARCO.key, STEPHANIE.key),
]


class Demo:
    """The demo being loaded: what the steps share."""

    def __init__(self, *, report=None):
        self.now = timezone.now()
        self.users = {}  # key (the address before @) → User
        self.groups = {}  # slug → Group
        self.step = ""
        self._report = report or (lambda step, done, total: None)

    def random(self, name):
        """A random generator of its own for NAME: a step's choices do not depend on
        what other steps drew, so adding a step does not change the others."""
        return random.Random(f"{SEED}:{name}")

    def progress(self, done, total):
        self._report(self.step, done, total)


def non_demo_users():
    users = User.objects.all()
    for domain in DEMO_DOMAINS:
        users = users.exclude(email__iendswith=f"@{domain}")
    return users


def is_loaded():
    return (
        Group.objects.filter(slug=GOING_SOLO).exists()
        or User.objects.filter(email=STEPHANIE.email).exists()
    )


def add_people(demo):
    """Every person of the demo, with a verified primary address and the demo password."""
    existing = {
        user.email: user for user in User.objects.filter(email__in=[p.email for p in PEOPLE])
    }
    # One hash for everyone: hashing is slow on purpose, and they share the password.
    password = make_password(DEMO_PASSWORD)
    rng = demo.random("people")
    founded = demo.now - timedelta(days=GROUPS[0].created_days_ago)
    new = []
    for person in PEOPLE:
        if person.email in existing:
            continue
        country, time_zone = CITIES[person.city]
        if person is STEPHANIE:
            joined = founded
        elif person in NOT_MEMBERS:
            joined = demo.now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 1440))
        else:
            joined = founded + timedelta(
                days=rng.randint(1, GROUPS[0].created_days_ago - 30), minutes=rng.randint(0, 1440)
            )
        new.append(
            User(
                email=person.email,
                password=password,
                display_name=person.name,
                # bulk_create skips save(), which would make the handle.
                handle=handle_from(person.name),
                bio=person.bio,
                city=person.city,
                country=country,
                time_zone=time_zone,
                spoken_languages=list(person.languages),
                language=person.interface,
                website=person.website,
                skills=person.skills,
                open_to_work=person.open_to_work,
                date_joined=joined,
            )
        )
    batch = 12
    for start in range(0, len(new), batch):
        User.objects.bulk_create(new[start : start + batch])
        demo.progress(len(existing) + min(start + batch, len(new)), len(PEOPLE))
    if not new:
        demo.progress(len(PEOPLE), len(PEOPLE))

    users = {user.email: user for user in User.objects.filter(email__in=[p.email for p in PEOPLE])}
    demo.users.update({person.key: users[person.email] for person in PEOPLE})
    verified = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=email, verified=True, primary=True)
        for email, user in users.items()
        if email not in verified
    )


def add_groups(demo):
    """The three groups, each with its owner."""
    for number, plan in enumerate(GROUPS, start=1):
        group = Group.objects.filter(slug=plan.slug).first()
        if group is None:
            group = group_create(
                owner=demo.users[plan.owner],
                name=plan.name,
                slug=plan.slug,
                visibility=plan.visibility,
                join_policy=plan.join_policy,
                description_en=plan.description_en,
                description_fr=plan.description_fr,
                rules=plan.rules,
                join_questions=plan.join_questions,
            )
            # Not before its owner had an account.
            created = max(
                demo.now - timedelta(days=plan.created_days_ago),
                demo.users[plan.owner].date_joined,
            )
            Group.objects.filter(pk=group.pk).update(created_at=created)
            group.memberships.filter(user=demo.users[plan.owner]).update(
                joined_at=created, rules_accepted_at=created
            )
            group.created_at = created
        demo.groups[plan.slug] = group
        demo.progress(number, len(GROUPS))


def add_memberships(demo):
    """The members of each group, with their roles; keeps each group's member count."""
    total = sum(len(plan.members) for plan in GROUPS)
    done = 0
    for plan in GROUPS:
        group = demo.groups[plan.slug]
        rng = demo.random(f"memberships:{plan.slug}")
        present = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
        new = []
        for key in plan.members:
            user = demo.users[key]
            # Drawn for everyone, so the dates do not depend on who is already there.
            offset = timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 1440))
            if user.pk in present:
                continue
            joined = min(max(user.date_joined, group.created_at) + offset, demo.now)
            new.append(
                Membership(
                    group=group,
                    user=user,
                    role=plan.roles.get(key, Role.MEMBER),
                    joined_at=joined,
                    rules_accepted_at=joined,
                )
            )
        Membership.objects.bulk_create(new)
        count = Membership.objects.filter(group=group).count()
        Group.objects.filter(pk=group.pk).update(member_count=count)
        group.member_count = count
        done += len(plan.members)
        demo.progress(done, total)


def add_join_requests(demo):
    """Applicants waiting for an answer, with what they answered."""
    rng = demo.random("join-requests")
    for number, (slug, key, answers) in enumerate(JOIN_REQUESTS, start=1):
        group, user = demo.groups[slug], demo.users[key]
        asked = demo.now - timedelta(days=rng.randint(0, 5), minutes=rng.randint(0, 1440))
        waiting = JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).exists()
        if not waiting and not Membership.objects.filter(group=group, user=user).exists():
            JoinRequest.objects.create(
                group=group,
                user=user,
                answers=[
                    {"question": question, "answer": answer}
                    for question, answer in zip(group.join_questions, answers, strict=True)
                ],
                created_at=asked,
            )
        demo.progress(number, len(JOIN_REQUESTS))


def add_invitations(demo):
    """Invitations not used yet."""
    rng = demo.random("invitations")
    for number, (slug, key, inviter) in enumerate(INVITATIONS, start=1):
        group, email = demo.groups[slug], demo.users[key].email
        sent = demo.now - timedelta(days=2, minutes=rng.randint(0, 1440))
        if not Invitation.objects.filter(group=group, email=email).exists():
            Invitation.objects.create(
                group=group,
                email=email,
                invited_by=demo.users[inviter],
                created_at=sent,
                expires_at=sent + timedelta(days=14),
            )
        demo.progress(number, len(INVITATIONS))


# --- Events: the 2008 conference, a meetup coming up, "would you come?" for a SoloCamp --------

GOING_SOLO_2008_TALKS = [
    # (start, end, room, title, language, speaker keys, abstract, recording)
    (
        "09:15",
        "09:45",
        "Salle Paderewski",
        "Going solo in a connected world",
        "en",
        ["stephanie"],
        "Why this day exists: what the internet changes for people who work on their own, "
        "and what it does not.",
        "https://www.youtube.com/watch?v=gS08LsnCm1A",
    ),
    (
        "10:00",
        "10:45",
        "Salle Paderewski",
        "Getting known without selling your soul",
        "en",
        ["anna.lindqvist"],
        "Blogs, talks, word of mouth: being findable by the clients you want, in an hour a week.",
        "https://vimeo.com/28749362",
    ),
    (
        "11:00",
        "11:45",
        "Salle Paderewski",
        "Fixer ses prix (et s'y tenir)",
        "fr",
        ["jean.marc.rossier"],
        "Taux horaire, forfait, valeur : comment calculer un prix qui vous fait vivre, et "
        "comment l'annoncer sans trembler.",
        "https://framatube.org/w/p3XkqVb7mZ2hT9sWcR4dNa",
    ),
    (
        "13:30",
        "14:15",
        "Salle Paderewski",
        "Organising yourself: tools and rituals",
        "en",
        ["anna.lindqvist"],
        "Mornings, to-do lists, invoices on Fridays: the small habits that keep a one-person "
        "business running.",
        "https://www.youtube.com/watch?v=Lq2kx7VnT0c",
    ),
    (
        "14:30",
        "15:15",
        "Salle Paderewski",
        "Rompre l'isolement du travailleur solitaire",
        "fr",
        ["stephanie", "jean.marc.rossier"],
        "Coworking, réseaux, groupes d'entraide : ne plus être seul·e devant son écran.",
        "https://vimeo.com/28751044",
    ),
    (
        "15:30",
        "16:15",
        "Salle Paderewski",
        "Work and life: where to draw the line",
        "en",
        ["priscilla.odum"],
        "When your home is your office and your phone is your shop, the line has to be drawn "
        "on purpose.",
        "https://www.youtube.com/watch?v=Zt4mR8wQp1E",
    ),
]
GOING_SOLO_2008_GUESTS = {
    "anna.lindqvist": (
        "Anna Lindqvist",
        "Freelance writer and blogger in Stockholm since 2001. She helps independents "
        "become known for what they do best.",
    ),
    "jean.marc.rossier": (
        "Jean-Marc Rossier",
        "Graphiste indépendant à Fribourg depuis quinze ans, formateur en gestion "
        "d'entreprise pour les métiers créatifs.",
    ),
    "priscilla.odum": (
        "Priscilla Odum",
        "Coach for remote workers in London; she wrote a book on working from home "
        "without losing your mind.",
    ),
}
# Going Solo members who were in the room in 2008 (they live around Lausanne or came far).
GOING_SOLO_2008_ATTENDEES = [
    "stephanie",
    "marco",
    "camille.rochat",
    "julien.favre",
    "sophie.meylan",
    "nicolas.pittet",
    "aline.bonvin",
    "isabelle.mercier",
    "pauline.rey",
    "valentin.jacot",
    "thomas.keller",
    "claire.lemoine",
    "ines.peeters",
    "mathilde.perrin",
]
LEEDS_MEETUP_GOING = [
    "oliver",
    "rachel.whitaker",
    "daniel.okafor",
    "emma.sutcliffe",
    "tom.ackroyd",
    "aisha.khan",
    "ben.holroyd",
]
# "Would you come to a French-speaking SoloCamp in Lausanne?": who answered what.
SOLOCAMP_CHECK_ANSWERS = {
    "yes": [
        "stephanie",
        "marco",
        "camille.rochat",
        "julien.favre",
        "nicolas.pittet",
        "aline.bonvin",
        "pauline.rey",
        "valentin.jacot",
        "claire.lemoine",
        "antoine.moreau",
        "mathilde.perrin",
        "romain.chevalier",
        "ines.peeters",
        "sophie.meylan",
    ],
    "maybe": ["isabelle.mercier", "thomas.keller", "elodie.garnier", "karim.benali", "oliver"],
    "no": ["nathalie", "gabriel.tremblay", "rachel.whitaker", "yuki.tanaka"],
}


def add_events(demo):
    """The 2008 conference in Lausanne (past, with talks and recordings), the next Leeds
    meetup, and an open "would you come?" for a French-speaking SoloCamp in Lausanne."""
    import zoneinfo
    from datetime import date, datetime, time

    from goingsolo.events import services as events
    from goingsolo.events.models import (
        Event,
        InterestAnswer,
        InterestCheck,
        Registration,
    )

    going_solo, leeds = demo.groups[GOING_SOLO], demo.groups[LEEDS]
    stephanie, oliver = demo.users[STEPHANIE.key], demo.users[OLIVER.key]
    zurich, london = zoneinfo.ZoneInfo("Europe/Zurich"), zoneinfo.ZoneInfo("Europe/London")

    # The conference, 16 May 2008.
    conference = Event.objects.filter(group=going_solo, kind="conference").first()
    if conference is None:
        day = date(2008, 5, 16)
        at = lambda clock: datetime.combine(day, time.fromisoformat(clock), zurich)  # noqa: E731
        conference = events.event_create(
            group=going_solo,
            by=stephanie,
            announce=False,
            kind="conference",
            title_en="Going Solo Lausanne 2008",
            title_fr="Going Solo Lausanne 2008",
            description_en=(
                "A one-day international conference for independent workers: how to be "
                "independent in a connected world. How to get known, how to set your prices, "
                "how to organise yourself, how to break the isolation of working alone, how "
                "to keep work and life apart.\n\nThe videos of every talk are online: watch "
                "them below."
            ),
            description_fr=(
                "Une conférence internationale d'une journée pour indépendant·es : comment "
                "être indépendant à l'heure d'internet, dans un monde connecté. Se faire "
                "connaître, fixer ses prix, s'organiser, rompre l'isolement du travailleur "
                "solitaire, garder l'équilibre entre vie privée et vie professionnelle.\n\n"
                "Les vidéos de toutes les interventions sont en ligne : regardez-les plus bas."
            ),
            starts_at=at("09:00"),
            ends_at=at("17:30"),
            time_zone="Europe/Zurich",
            venue_name="Casino de Montbenon",
            address="Allée Ernest-Ansermet 3",
            city="Lausanne",
            country="CH",
            capacity=120,
        )
        speakers = {}
        for key, (name, bio) in GOING_SOLO_2008_GUESTS.items():
            speakers[key] = events.speaker_save(event=conference, by=stephanie, name=name, bio=bio)
        speakers["stephanie"] = events.speaker_save(
            event=conference, by=stephanie, name="", user=stephanie
        )
        for start, end, room, title, language, keys, abstract, video in GOING_SOLO_2008_TALKS:
            events.talk_save(
                event=conference,
                by=stephanie,
                title=title,
                abstract=abstract,
                language=language,
                starts_at=at(start),
                ends_at=at(end),
                room=room,
                speakers=[speakers[key] for key in keys],
                recording_url=video,
            )
        members = set(Membership.objects.filter(group=going_solo).values_list("user_id", flat=True))
        Registration.objects.bulk_create(
            Registration(
                event=conference,
                user=demo.users[key],
                status="going",
                created_at=at("09:00") - timedelta(days=30),
                checked_in_at=at("08:45"),
            )
            for key in GOING_SOLO_2008_ATTENDEES
            if demo.users[key].pk in members
        )
        Event.objects.filter(pk=conference.pk).update(
            going_count=Registration.objects.filter(event=conference).count(),
            created_at=at("09:00") - timedelta(days=90),
        )
    demo.progress(1, 3)

    # The Leeds coffee and co-working morning, on the first Thursday at least a week away.
    if not Event.objects.filter(group=leeds, kind="meetup", ends_at__gt=demo.now).exists():
        day = demo.now.astimezone(london).date() + timedelta(days=7)
        while day.weekday() != 3:
            day += timedelta(days=1)
        meetup = events.event_create(
            group=leeds,
            by=oliver,
            kind="meetup",
            title_en="First Thursday: coffee and co-working",
            description_en=(
                "Bring your laptop, or just yourself. We work together in the morning, "
                "talk about clients and tax returns over coffee, and go for lunch at "
                "noon for those who can stay."
            ),
            starts_at=datetime.combine(day, time(9, 30), london),
            ends_at=datetime.combine(day, time(12, 30), london),
            time_zone="Europe/London",
            venue_name="The Corner Room, Café Lento",
            address="12 Call Lane",
            city="Leeds",
            country="GB",
            capacity=12,
            questions=["What are you working on at the moment?"],
        )
        for key in LEEDS_MEETUP_GOING:
            events.registration_set(
                event=meetup, user=demo.users[key], status="going", notify=False
            )
        events.registration_set(
            event=meetup, user=demo.users["james.fletcher"], status="interested", notify=False
        )
    demo.progress(2, 3)

    # Would you come to a French-speaking SoloCamp in Lausanne?
    check = InterestCheck.objects.filter(group=going_solo, city="Lausanne", kind="barcamp").first()
    if check is None:
        today = demo.now.astimezone(zurich).date()
        check = events.interest_check_open(
            group=going_solo,
            by=stephanie,
            kind="barcamp",
            city="Lausanne",
            country="CH",
            window_start=today + timedelta(days=90),
            window_end=today + timedelta(days=150),
            threshold=25,
            note=(
                "En me replongeant dans Going Solo et le SoloCamp de Leeds, j'ai assez envie "
                "de mettre sur pied un SoloCamp francophone à Lausanne : une journée, un "
                "samedi, on choisit les thèmes ensemble le matin. Ça vous dirait ?\n\n"
                "Thinking of a French-speaking SoloCamp in Lausanne, a barcamp on a Saturday. "
                "Would you come?"
            ),
        )
        InterestCheck.objects.filter(pk=check.pk).update(created_at=demo.now - timedelta(days=6))
    answered = set(
        InterestAnswer.objects.filter(interest_check=check).values_list("user_id", flat=True)
    )
    for value, keys in SOLOCAMP_CHECK_ANSWERS.items():
        for key in keys:
            user = demo.users[key]
            if (
                user.pk not in answered
                and Membership.objects.filter(group=going_solo, user=user).exists()
            ):
                events.interest_answer(
                    check=check,
                    user=user,
                    answer=value,
                    from_city="Paris" if key == "antoine.moreau" else "",
                )
    demo.progress(3, 3)


# Notes from past barcamp sessions, moved from the old spammed wiki to the group's own.
# Each page: title, then revisions as (author key, days ago, summary, text).
WIKI_PAGES = [
    (
        "SoloCamp Leeds 2008",
        [
            (
                OLIVER.key, 400, "Index of the session notes",
                "# SoloCamp Leeds 2008\n\n"
                "The barcamp that replaced Going Solo Leeds: one Saturday, four rooms, about "
                "sixty independent workers and a board full of sticky notes.\n\n"
                "## Session notes\n\n"
                "- [[Pricing your work]]\n"
                "- [[Working from home without going mad]]\n"
                "- [[Trouver ses premiers clients]]\n\n"
                "Add the notes of your session: make a page and link it here.",
            ),
            (
                STEPHANIE.key, 390, "Link to the Lausanne notes",
                "# SoloCamp Leeds 2008\n\n"
                "The barcamp that replaced Going Solo Leeds: one Saturday, four rooms, about "
                "sixty independent workers and a board full of sticky notes.\n\n"
                "## Session notes\n\n"
                "- [[Pricing your work]]\n"
                "- [[Working from home without going mad]]\n"
                "- [[Trouver ses premiers clients]]\n\n"
                "## See also\n\n"
                "- [[Going Solo Lausanne 2008 : notes]], the conference that started it all\n\n"
                "Add the notes of your session: make a page and link it here.",
            ),
        ],
    ),
    (
        "Pricing your work",
        [
            (
                OLIVER.key, 398, "Notes from the session",
                "# Pricing your work\n\n"
                "Session led by Oliver, SoloCamp Leeds 2008, room 2.\n\n"
                "## Day rate or project rate?\n\n"
                "- A day rate is easy to explain and punishes you for working fast.\n"
                "- A project rate rewards experience, if the scope is written down.\n\n"
                "## Deposits\n\n"
                "Ask for 30 % before starting. Nobody in the room regretted it.",
            ),
            (
                "thomas.keller", 395, "Added the spreadsheet trick",
                "# Pricing your work\n\n"
                "Session led by Oliver, SoloCamp Leeds 2008, room 2.\n\n"
                "## Day rate or project rate?\n\n"
                "- A day rate is easy to explain and punishes you for working fast.\n"
                "- A project rate rewards experience, if the scope is written down.\n\n"
                "## Deposits\n\n"
                "Ask for 30 % before starting. Nobody in the room regretted it.\n\n"
                "## Know your floor\n\n"
                "Add up a year of costs (rent, insurance, pension, holidays), divide by the "
                "days you can really bill (about 120, not 220): that is your lowest day rate.",
            ),
            (
                OLIVER.key, 120, "Typo",
                "# Pricing your work\n\n"
                "Session led by Oliver, SoloCamp Leeds 2008, room 2.\n\n"
                "## Day rate or project rate?\n\n"
                "- A day rate is easy to explain and penalises you for working fast.\n"
                "- A project rate rewards experience, if the scope is written down.\n\n"
                "## Deposits\n\n"
                "Ask for 30 % before starting. Nobody in the room regretted it.\n\n"
                "## Know your floor\n\n"
                "Add up a year of costs (rent, insurance, pension, holidays), divide by the "
                "days you can really bill (about 120, not 220): that is your lowest day rate.",
            ),
        ],
    ),
    (
        "Working from home without going mad",
        [
            (
                "sophie.meylan", 397, "Session notes",
                "# Working from home without going mad\n\n"
                "- Get dressed. Really.\n"
                "- A door you can close, or at least a corner that is only for work.\n"
                "- Lunch away from the desk, with someone when you can.\n",
            ),
            (
                MARCO.key, 380, "Coworking days",
                "# Working from home without going mad\n\n"
                "- Get dressed. Really.\n"
                "- A door you can close, or at least a corner that is only for work.\n"
                "- Lunch away from the desk, with someone when you can.\n"
                "- One coworking day a week: the group meets on Fridays, see the events.\n",
            ),
        ],
    ),
    (
        "Trouver ses premiers clients",
        [
            (
                STEPHANIE.key, 396, "Notes de la session",
                "# Trouver ses premiers clients\n\n"
                "Session animée en français, salle 4 — oui, il y avait une salle francophone "
                "à Leeds.\n\n"
                "## Ce qui a marché pour nous\n\n"
                "- Les anciens employeurs : souvent le premier mandat.\n"
                "- Le bouche-à-oreille, à condition de dire clairement ce qu'on fait.\n"
                "- Un blog tenu régulièrement, même court.\n",
            ),
            (
                NATHALIE.key, 392, "Ajout des plateformes",
                "# Trouver ses premiers clients\n\n"
                "Session animée en français, salle 4 — oui, il y avait une salle francophone "
                "à Leeds.\n\n"
                "## Ce qui a marché pour nous\n\n"
                "- Les anciens employeurs : souvent le premier mandat.\n"
                "- Le bouche-à-oreille, à condition de dire clairement ce qu'on fait.\n"
                "- Un blog tenu régulièrement, même court.\n\n"
                "## Ce qui a moins marché\n\n"
                "- Les plateformes d'enchères : on s'y bat sur le prix, jamais sur la qualité.\n"
                "- Les salons professionnels, chers pour un indépendant seul.\n",
            ),
            (
                "claire.lemoine", 200, "Lien vers la page sur les tarifs",
                "# Trouver ses premiers clients\n\n"
                "Session animée en français, salle 4 — oui, il y avait une salle francophone "
                "à Leeds.\n\n"
                "## Ce qui a marché pour nous\n\n"
                "- Les anciens employeurs : souvent le premier mandat.\n"
                "- Le bouche-à-oreille, à condition de dire clairement ce qu'on fait.\n"
                "- Un blog tenu régulièrement, même court.\n\n"
                "## Ce qui a moins marché\n\n"
                "- Les plateformes d'enchères : on s'y bat sur le prix, jamais sur la qualité.\n"
                "- Les salons professionnels, chers pour un indépendant seul.\n\n"
                "Pour fixer ses prix, voir [[Pricing your work]] (en anglais).",
            ),
        ],
    ),
    (
        "Going Solo Lausanne 2008 : notes",
        [
            (
                STEPHANIE.key, 410, "Notes de la conférence",
                "# Going Solo Lausanne 2008\n\n"
                "Une journée de conférences pour les indépendants, en anglais et en français.\n\n"
                "## Ce qu'on en a retenu\n\n"
                "- Être seul ne veut pas dire travailler seul.\n"
                "- Les outils en ligne remplacent une partie du bureau, pas les collègues.\n",
            ),
            (
                "camille.rochat", 300, "Ajout sur la TVA",
                "# Going Solo Lausanne 2008\n\n"
                "Une journée de conférences pour les indépendants, en anglais et en français.\n\n"
                "## Ce qu'on en a retenu\n\n"
                "- Être seul ne veut pas dire travailler seul.\n"
                "- Les outils en ligne remplacent une partie du bureau, pas les collègues.\n"
                "- En Suisse, l'assujettissement à la TVA commence à 100 000 francs de chiffre "
                "d'affaires : la question est revenue trois fois.\n",
            ),
        ],
    ),
]  # fmt: skip


def add_wiki_notes(demo):
    """Session notes of past barcamps in the Going Solo group's wiki, with their history."""
    from goingsolo.wiki.models import Page, title_key
    from goingsolo.wiki.services import page_import

    group = demo.groups[GOING_SOLO]
    joined = dict(Membership.objects.filter(group=group).values_list("user_id", "joined_at"))
    present = set(Page.objects.filter(group=group).values_list("key", flat=True))
    for number, (title, revisions) in enumerate(WIKI_PAGES, start=1):
        if title_key(title) not in present:
            planned, previous = [], None
            for key, days_ago, summary, text in revisions:
                author = demo.users[key]
                # Not before the author joined, nor before the previous revision.
                at = demo.now - timedelta(days=days_ago)
                at = max(at, joined[author.pk] + timedelta(hours=1), previous or at)
                at = min(at, demo.now)
                planned.append((author, text, summary, at))
                previous = at + timedelta(minutes=1)
            page_import(group=group, title=title, revisions=planned)
        demo.progress(number, len(WIKI_PAGES))


# (label, function), run in this order by `goingsolo demo`. Features append theirs.
STEPS = [
    ("Members", add_people),
    ("Groups", add_groups),
    ("Memberships", add_memberships),
    ("Join requests", add_join_requests),
    ("Invitations", add_invitations),
    ("Wiki notes", add_wiki_notes),
    ("Events", add_events),
]


def load(*, report=None):
    """Runs every step in one transaction and returns the Demo."""
    demo = Demo(report=report)
    with transaction.atomic():
        for label, step in STEPS:
            demo.step = label
            step(demo)
    return demo


def login_lines():
    """The demo logins, as lines to print; none when the demo is not loaded."""
    if not User.objects.filter(email=STEPHANIE.email).exists():
        return []
    width = max(len(email) for _role, email in LOGINS)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {email:<{width}}  {DEMO_PASSWORD}  {role}" for role, email in LOGINS]
    return lines


# --- Discussions: threads of the Going Solo group ------------------------------------------


@dataclass
class ThreadPlan:
    """A thread of the demo. Replies are (author key, hours after the previous post, text)
    or (author key, hours, text, position of the post it quotes). "{@key}" in a text
    becomes the @handle of that person."""

    title: str
    author: str
    days_ago: float
    body: str
    replies: list = field(default_factory=list)
    announce: bool = False
    poll: dict | None = None
    # Position of the reply that carries an image (_demo_chart_png).
    image_at: int | None = None


DEMO_THREADS = [
    ThreadPlan(
        title="Bienvenue dans Going Solo — à lire avant de poster / Welcome, read me first",
        author=STEPHANIE.key,
        days_ago=44,
        announce=True,
        body=(
            "Bonjour à toutes et à tous, et bienvenue !\n\n"
            "Ce groupe est la suite de la conférence Going Solo de Lausanne et du SoloCamp "
            "de Leeds. On y parle de tout ce qui fait la vie d'indépendant·e : trouver des "
            "clients, fixer ses prix, s'organiser, ne pas rester seul·e devant son écran.\n\n"
            "Quelques habitudes qui rendent le groupe agréable :\n\n"
            "- présentez-vous dans votre premier message (métier, ville) ;\n"
            "- un sujet par fil, avec un titre qui dit de quoi il s'agit ;\n"
            "- écrivez en français ou en anglais, et répondez dans la langue qui vous vient ;\n"
            "- pas de publicité non sollicitée, mais parlez de vos services quand ils "
            "répondent à une question.\n\n"
            "*In short, for our English speakers: introduce yourself, one topic per thread, "
            "French or English as you like, no unsolicited ads.* Bonne discussion !"
        ),
        replies=[
            (
                OLIVER.key,
                3,
                "Thanks Stephanie! For newcomers: if you are unsure where to post, just start "
                "a thread, we will move things around if needed.",
            ),
            (
                NATHALIE.key,
                9,
                "Merci ! Je modère le groupe pendant que l'Europe dort : si quelque chose "
                "vous semble déplacé, signalez-le-moi et je m'en occupe.",
            ),
            (
                "daniel.okafor",
                30,
                "Hello everyone, Daniel, illustrator in Leeds. Je vais essayer d'écrire en "
                "français de temps en temps, soyez indulgents !",
            ),
        ],
    ),
    ThreadPlan(
        title="What do you do when a client pays late?",
        author="daniel.okafor",
        days_ago=38,
        image_at=6,
        body=(
            "Bit of a specific case. I delivered a set of editorial illustrations to a "
            "magazine in January, invoice at 30 days. We are now at day 52 and my emails "
            'get a polite "it\'s with accounts".\n\n'
            "How do you handle this? When do you stop being nice? Do you charge late fees, "
            "and does anyone actually pay them?"
        ),
        replies=[
            (
                "rachel.whitaker",
                2,
                "Bookkeeper here, I see this every week. What works for my clients:\n\n"
                "1. a friendly reminder the day after the due date;\n"
                "2. a firm one at +14 days, quoting the invoice number and the amount;\n"
                "3. a phone call to accounts at +21, not to your contact;\n"
                "4. a formal letter mentioning statutory interest.\n\n"
                "Most invoices are paid between steps 2 and 3. It's rarely malice, it's "
                "usually an invoice stuck in someone's inbox.",
            ),
            (
                "camille.rochat",
                4,
                "En Suisse, la suite logique est le rappel recommandé, puis la poursuite. "
                "Ça paraît violent mais c'est une procédure administrative assez simple, et "
                "le simple fait de l'évoquer débloque souvent la situation. Pensez à "
                "indiquer un délai de paiement clair sur chaque facture.",
            ),
            (
                "daniel.okafor",
                3,
                "{@pauline.rey} you know contracts: is a late fee clause actually "
                "enforceable, or is it just for show?",
            ),
            (
                "pauline.rey",
                5,
                "Ça dépend du pays, mais une clause claire d'intérêts de retard, acceptée "
                "avec le devis, est tout à fait opposable. In the UK you can also claim "
                "statutory interest on a business debt even without a clause. Le vrai sujet, "
                "c'est de savoir si vous voulez garder ce client.",
            ),
            (
                "jason.park",
                7,
                "> It's rarely malice, it's usually an invoice stuck in someone's inbox.\n\n"
                "This. Big companies pay when the invoice is in the right system with the "
                "right PO number. Ask for the PO number before you start the job and half "
                "of these problems go away.",
                2,
            ),
            (
                "thomas.keller",
                20,
                "I tracked how long my own clients took to pay last year, by type of "
                "client. Small businesses are the fastest, public bodies are slow but they "
                "always pay, large companies are the worst. Chart attached.",
            ),
            (
                "sophie.meylan",
                6,
                "Also: protect your evenings. Chasing money is draining. Block one hour on "
                "Friday mornings for invoices and reminders, and don't think about it the "
                "rest of the week.",
            ),
            (
                "daniel.okafor",
                26,
                "Update: I called accounts as Rachel suggested. The invoice was waiting for "
                "a PO number nobody had asked me for. Paid the next day. Thanks all! Merci à "
                "tous !",
            ),
            (
                "rachel.whitaker",
                1,
                "Classic. Glad it worked out!",
            ),
        ],
    ),
    ThreadPlan(
        title="Comment organisez-vous vos matinées ?",
        author="aline.bonvin",
        days_ago=33,
        body=(
            "Depuis que je travaille seule, mes matinées filent entre les mails, les "
            "réseaux sociaux et le café qui refroidit. À midi j'ai l'impression de ne rien "
            "avoir fait de vrai.\n\n"
            "Comment vous organisez-vous le matin ? Routine, horaires fixes, pas de mails "
            "avant dix heures ? Je prends toutes les idées."
        ),
        replies=[
            (
                "sophie.meylan",
                1,
                "The single thing that works for most of the people I coach: decide the "
                "evening before what the first task of the morning will be, and do it "
                "before you open your inbox. Even 45 minutes of real work changes how the "
                "whole day feels.",
            ),
            (
                "nicolas.pittet",
                3,
                "> decide the evening before what the first task of the morning will be\n\n"
                "Je confirme, c'est ce qui m'a sauvé. J'ajoute : écrire à la main la liste "
                "des trois choses à faire. Pas dix, trois.",
                2,
            ),
            (
                "julien.favre",
                2,
                "Moi je ne suis pas du matin du tout. Je commence à 10 h et je travaille "
                "jusqu'à 19 h, et j'ai arrêté de culpabiliser. L'avantage d'être "
                "indépendant, c'est aussi ça.",
            ),
            (
                "emma.sutcliffe",
                5,
                "A walk before work. Twenty minutes around the block, then I sit down as if "
                "I had arrived at an office. Sounds silly, works for me.",
            ),
            (
                "helene.roux",
                4,
                "Same as Emma, with a bakery at the end of the walk. Le croissant fait "
                "partie de la méthode.",
            ),
            (
                "karim.benali",
                8,
                "Téléphone en mode avion jusqu'à 11 h. Mes clients savent que je réponds "
                "l'après-midi, et personne ne s'en est jamais plaint.",
            ),
            (
                "marie.eve.lavoie",
                10,
                "Avec le décalage horaire, mes matinées à Québec sont l'après-midi de mes "
                "clients européens : je garde le matin pour la rédaction et je réponds aux "
                "mails après le dîner.",
            ),
            (
                "romain.chevalier",
                14,
                "Un rituel tout bête : je range mon bureau la veille au soir. Le matin, "
                "il n'y a que le dossier du jour sur la table.",
            ),
            (
                "aline.bonvin",
                20,
                "Merci pour toutes ces idées ! J'ai testé une semaine la tâche choisie la "
                "veille et le téléphone en mode avion : c'est le jour et la nuit.",
            ),
            (
                "priya.raman",
                3,
                "Late to the thread, but: I also schedule meetings only in the afternoon. "
                "Mornings are for thinking.",
            ),
            (
                "sophie.meylan",
                2,
                "Love reading this thread. Bravo Aline pour l'expérience !",
            ),
        ],
    ),
    ThreadPlan(
        title="Pricing a translation: per word, per hour or per project?",
        author="yuki.tanaka",
        days_ago=29,
        body=(
            "A new client, a games studio, asks me for a quote for the localisation of a "
            "small game: about 18,000 words of dialogue plus the interface, with a lot of "
            "back and forth expected.\n\n"
            "I usually charge per word, but here the context questions and the testing "
            "will take a lot of time. How do you price this kind of job?"
        ),
        replies=[
            (
                NATHALIE.key,
                3,
                "Je facture au mot pour la traduction pure, et à l'heure tout ce qui n'est "
                "pas de la traduction : questions de contexte, tests, relectures "
                "supplémentaires. Je l'écris noir sur blanc dans le devis, avec une "
                "estimation des heures.",
            ),
            (
                "elodie.garnier",
                5,
                "En sous-titrage on facture à la minute de programme, ce qui a l'avantage "
                "d'être simple pour le client. Pour un jeu, un forfait par lot avec un "
                "nombre d'allers-retours inclus me semble plus sain.",
            ),
            (
                "sarah.cohen",
                7,
                'Whatever you choose, put a limit on the revision rounds. "Two rounds of '
                'changes included, then hourly" saved me more than once.',
            ),
            (
                "johanna.richter",
                9,
                "Pour les jeux, je demande aussi un accès à une version jouable. Sans "
                "contexte, « Fire! » peut être un ordre, une alerte ou un bouton.",
            ),
            (
                "yuki.tanaka",
                16,
                "Thank you all. So: per word for the text, hourly for queries and testing "
                "with an estimate, two revision rounds included, and a playable build. "
                "Sending the quote tomorrow.",
            ),
            (
                "ines.peeters",
                4,
                "Bonne chance Yuki ! Et n'oubliez pas une majoration pour les délais courts, "
                "les studios adorent les délais courts.",
            ),
            (
                "chloe.martin",
                12,
                "Je plussoie Inès : +25 % sous cinq jours ouvrables chez moi, et personne "
                "ne discute.",
            ),
            (
                "yuki.tanaka",
                50,
                "Quote accepted, with the rush fee. Merci beaucoup !",
            ),
        ],
    ),
    ThreadPlan(
        title="Coworking à Lausanne : vos bonnes adresses ?",
        author=MARCO.key,
        days_ago=25,
        body=(
            "Je vais passer deux ou trois jours par semaine à Lausanne ce printemps pour "
            "un reportage. Plutôt que de travailler dans les cafés, je cherche un "
            "coworking avec une bonne connexion et une vraie table pour trier mes photos.\n\n"
            "Vous avez des adresses ? {@julien.favre}, tu y travailles toujours, non ?"
        ),
        replies=[
            (
                "julien.favre",
                2,
                "Oui, trois jours par semaine près de la gare. Ambiance calme, bonne "
                "connexion, des écrans à disposition. Il y a des cartes de dix journées, "
                "pratique si tu ne viens pas tous les jours.",
            ),
            (
                "camille.rochat",
                4,
                "Il y en a un très bien au Flon, plus animé, avec des événements le jeudi "
                "soir. Pour la photo, demande une place près des fenêtres, la lumière est "
                "belle l'après-midi.",
            ),
            (
                "tiago.ferreira",
                6,
                "I run a coworking space in Lisbon, so professional advice: ask for a free "
                "trial day. Any decent space offers one, and you will know in two hours "
                "whether the noise level suits you.",
            ),
            (
                "sophie.meylan",
                20,
                "Et si tu veux de la compagnie, on se retrouve souvent le mardi au "
                "coworking de Julien, avec Nicolas et Aline. Pause de midi commune !",
            ),
            (
                MARCO.key,
                5,
                "Parfait, merci à tous. Journée d'essai réservée pour mardi prochain, on "
                "se voit à midi alors !",
            ),
            (
                "nicolas.pittet",
                3,
                "Avec plaisir. Prends un bon antivol pour ton vélo, la rue est en pente et "
                "très fréquentée.",
            ),
            (
                "isabelle.mercier",
                30,
                "Late reply from Geneva: if you ever need a space here, I can recommend "
                "mine, quiet and right next to the lake.",
            ),
        ],
    ),
    ThreadPlan(
        title="Tools for invoices: what do you all use?",
        author="priya.raman",
        days_ago=21,
        body=(
            "I've been doing my invoices in a word processor for three years and it is "
            "time to grow up. What do you use to send invoices and follow payments? Bonus "
            "points if it handles several currencies: I bill in pounds and euros."
        ),
        replies=[
            (
                "rachel.whitaker",
                1,
                "Any tool that numbers invoices for you and tells you who hasn't paid is a "
                "big step up. I'm not allowed to recommend brands to clients, but look for "
                "multi-currency and an export your accountant can read.",
            ),
            (
                "valentin.jacot",
                3,
                "En Suisse beaucoup utilisent un logiciel de gestion local qui fait les "
                "factures QR, c'est devenu presque obligatoire ici. Ça coûte une vingtaine "
                "de francs par mois.",
            ),
            (
                "lukas.becker",
                4,
                "Unpopular opinion: a spreadsheet with an invoice template and a script "
                "that makes the PDF. Ten invoices a month don't need a subscription.",
            ),
            (
                "thomas.keller",
                2,
                "As the spreadsheet person of the group I agree with Lukas, but only if "
                'you actually look at the "unpaid" column every week. Most people don\'t.',
            ),
            (
                "mathilde.perrin",
                6,
                "Côté France, attention : la facturation électronique devient obligatoire "
                "pour tout le monde dans les prochaines années. Autant choisir un outil "
                "qui s'y prépare.",
            ),
            (
                "priya.raman",
                9,
                "{@rachel.whitaker} what export format do accountants actually like? CSV?",
            ),
            (
                "rachel.whitaker",
                2,
                "CSV with one line per invoice: date, number, client, amount before tax, "
                "tax, total, currency, date paid. That's all I need.",
            ),
            (
                "karim.benali",
                11,
                "Je code des applis mais pour mes factures j'utilise un outil en ligne tout "
                "simple, et je ne regrette pas. Le temps gagné vaut largement l'abonnement.",
            ),
            (
                "priya.raman",
                40,
                "Picked one with multi-currency and a CSV export. First invoice sent in ten "
                "minutes. Thanks everyone!",
            ),
        ],
    ),
    ThreadPlan(
        title="TVA suisse : à partir de quand faut-il s'inscrire ?",
        author="valentin.jacot",
        days_ago=18,
        body=(
            "Mon chiffre d'affaires approche doucement des 100 000 francs cette année "
            "(bonne nouvelle !) et je me demande ce que ça implique pour la TVA. Je dois "
            "m'inscrire dès que je dépasse le seuil, ou l'année suivante ? Et est-ce que ça "
            "vaut la peine de s'inscrire volontairement avant ?"
        ),
        replies=[
            (
                "camille.rochat",
                3,
                "Le seuil de 100 000 francs porte sur le chiffre d'affaires annuel réalisé en "
                "Suisse et à l'étranger. Dès que vous le dépassez, vous devez vous annoncer "
                "dans les trente jours suivant la fin de l'année, et vous êtes assujetti dès "
                "le début de l'année suivante.\n\n"
                "S'inscrire volontairement peut valoir la peine si vous avez beaucoup "
                "d'investissements (récupération de l'impôt préalable), mais vos prix "
                "augmentent pour les clients privés.",
            ),
            (
                "thomas.keller",
                5,
                "Same in Zürich of course. One thing nobody told me: look at the flat tax "
                "rate method, it makes the quarterly returns much simpler for a one-person "
                "business.",
            ),
            (
                "valentin.jacot",
                4,
                "Merci Camille, c'est limpide. Et merci Thomas, je ne connaissais pas la "
                "méthode des taux de la dette fiscale nette.",
            ),
            (
                "pauline.rey",
                10,
                "Pensez aussi à adapter vos conditions générales : indiquez si vos prix "
                "s'entendent hors taxe, pour éviter les discussions au moment de "
                "l'assujettissement.",
            ),
            (
                "camille.rochat",
                2,
                "Très juste. Et gardez une réserve pour la première déclaration, elle "
                "arrive toujours plus vite qu'on ne le pense.",
            ),
        ],
    ),
    ThreadPlan(
        title="Dire non à un client sans le perdre",
        author="claire.lemoine",
        days_ago=15,
        body=(
            "Un client fidèle me demande une refonte complète de son site pour la fin du "
            "mois, en plus de la newsletter habituelle. Impossible à tenir sans travailler "
            "tous les soirs. J'ai peur qu'un refus le fasse partir chez une agence.\n\n"
            "Comment dites-vous non ? Vous proposez autre chose ?"
        ),
        replies=[
            (
                "sophie.meylan",
                2,
                "Say no to the deadline, not to the client. \"I can't do it by the end of "
                'the month, I can deliver the new homepage by then and the rest by the 15th." '
                "Most clients prefer a clear plan to a yes that ends in a missed deadline.",
            ),
            (
                "emilie.gagnon",
                6,
                "Exactement. Et si vous avez un·e collègue de confiance, proposez de "
                "sous-traiter une partie : vous gardez le client et vous rendez service.",
            ),
            (
                "james.fletcher",
                8,
                "Also, tell them what it would cost to do it by the end of the month. "
                "Sometimes the rush fee makes the deadline magically move.",
            ),
            (
                "claire.lemoine",
                22,
                "J'ai proposé la page d'accueil pour la fin du mois et le reste en deux "
                "étapes. Il a dit oui tout de suite, et m'a remerciée d'être honnête sur "
                "les délais. Merci à vous !",
            ),
            (
                "romain.chevalier",
                3,
                "Bravo ! C'est souvent le « oui mais pas comme ça » qui fait la différence.",
            ),
            (
                "antoine.moreau",
                9,
                "Je garde ce fil pour la prochaine fois que je n'ose pas dire non.",
            ),
        ],
    ),
    ThreadPlan(
        title="First year as a freelancer: what I wish I had known",
        author="emily.chen",
        days_ago=12,
        body=(
            "It's been exactly one year since the startup I worked for folded and I went "
            "freelance. A few things I wish someone had told me on day one:\n\n"
            "- set aside a third of every payment for taxes, the day it arrives;\n"
            "- your first clients will come from people who already know your work;\n"
            "- a quiet month is normal, not a sign of failure;\n"
            "- find people who do the same thing as you. This group helped a lot.\n\n"
            "What would you add?"
        ),
        replies=[
            (
                "jason.park",
                2,
                "Three months of expenses in a separate account before you need them. Cash "
                "flow problems are what kill small businesses, not a lack of clients.",
            ),
            (
                "antoine.moreau",
                4,
                "Ne pas baisser ses prix au premier client qui négocie. J'ai mis deux ans à "
                "remonter mes tarifs après mes débuts.",
            ),
            (
                "marta.puig",
                3,
                "Write a short contract even for friends. Especially for friends.",
            ),
            (
                "gabriel.tremblay",
                7,
                "Prendre des vacances dès la première année. On croit qu'on n'a pas le "
                "droit, et on s'épuise.",
            ),
            (
                "liam.obrien",
                5,
                "Keep a list of every compliment a client sends you. Read it on the bad days.",
            ),
            (
                "aminata.diop",
                9,
                "Apprendre à parler de son travail en une phrase. À Dakar, la moitié de "
                "mes clients viennent de conversations au marché ou à un mariage.",
            ),
            (
                "emily.chen",
                4,
                "These are all great. {@liam.obrien} the compliment list is going on my wall.",
            ),
            (
                "kevin.brooks",
                12,
                "Buy the good chair. Seriously. Your back will thank you in year three.",
            ),
            (
                "sarah.cohen",
                6,
                "And say yes to the boring jobs that pay well at first. They fund the "
                "interesting ones.",
            ),
            (
                "yasmine.el.amrani",
                10,
                "Et ne pas rester seule : un groupe comme celui-ci, un coworking, un café "
                "avec une collègue une fois par semaine. L'isolement arrive sans prévenir.",
            ),
        ],
    ),
    ThreadPlan(
        title="Micro-entreprise ou SASU quand on démarre ?",
        author="karim.benali",
        days_ago=10,
        body=(
            "Un ami développeur se lance en freelance à Paris et me demande conseil. Moi "
            "j'ai commencé en micro-entreprise, mais avec des missions à 500 € la journée "
            "il va dépasser le plafond assez vite. Vous lui conseilleriez quoi ?"
        ),
        replies=[
            (
                "mathilde.perrin",
                3,
                "La micro-entreprise reste la plus simple pour tester son activité, même "
                "quelques mois. S'il dépasse le plafond, il passera à un régime réel et "
                "on pourra réfléchir à une société. Tout dépend aussi de ses frais et de sa "
                "situation familiale : qu'il prenne un rendez-vous d'une heure avec un "
                "comptable, ça lui évitera des erreurs coûteuses.",
            ),
            (
                "claire.lemoine",
                5,
                "J'ai fait le passage en SASU l'an dernier : plus de paperasse, mais une "
                "meilleure protection sociale si on se verse un salaire.",
            ),
            (
                "karim.benali",
                8,
                "Merci {@mathilde.perrin}, je lui transmets. Tu prends de nouveaux clients ?",
            ),
            (
                "mathilde.perrin",
                2,
                "Oui, qu'il m'écrive en privé.",
            ),
        ],
    ),
    ThreadPlan(
        title="Working with clients across time zones",
        author="chloe.nguyen",
        days_ago=8,
        body=(
            "Melbourne here. Most of my clients are in Europe, which means my evening is "
            "their morning and my weekend starts on their Friday morning. How do you "
            "manage calls and deadlines across time zones without working at midnight?"
        ),
        replies=[
            (
                "yuki.tanaka",
                3,
                "Tokyo, same problem. I have two fixed call windows a week, early evening "
                "my time, and clients book in them. Everything else is asynchronous: "
                "written updates, recorded videos.",
            ),
            (
                "aurelie.dumas",
                5,
                "Je fais pareil depuis Tokyo. Et j'indique toujours les échéances dans "
                "le fuseau du client, pour éviter les malentendus d'un jour.",
            ),
            (
                "martin.gomez",
                9,
                "From Buenos Aires the gap with Europe is kind: my morning is their "
                "afternoon. But I learned to put the time zone in every calendar invite.",
            ),
            (
                "lucia.fernandez",
                4,
                "Même chose ici. Le décalage est aussi un argument : mes clients européens "
                "envoient un retour le soir et trouvent la correction le lendemain matin.",
            ),
            (
                "chloe.nguyen",
                10,
                "Love the idea of selling the time difference as a feature. Two call windows "
                "a week it is.",
            ),
            (
                NATHALIE.key,
                6,
                "Depuis Montréal je confirme, c'est un argument qui marche très bien.",
            ),
        ],
    ),
    ThreadPlan(
        title="Which day suits you for the next meetup?",
        author=OLIVER.key,
        days_ago=6,
        poll={
            "question": "Which day suits you for the next meetup?",
            "options": [
                "Tuesday evening / mardi soir",
                "Wednesday lunchtime / mercredi midi",
                "Thursday evening / jeudi soir",
                "Saturday morning / samedi matin",
            ],
            "closes_in_days": 8,
        },
        body=(
            "Time for our next online meetup! One hour on video, a quick round of "
            "introductions and one topic chosen together (last time it was pricing).\n\n"
            "Vote for the day that suits you best; the time will be 18:00 Lausanne time "
            "for the evenings, to give our friends in Montréal and New York a chance."
        ),
        replies=[
            (
                "emma.sutcliffe",
                2,
                "Voted Thursday. Happy to help with the breakout rooms again.",
            ),
            (
                "marie.eve.lavoie",
                5,
                "Samedi matin pour moi serait 3 h du matin à Québec... Je vote jeudi soir, "
                "c'est midi ici.",
            ),
            (
                "daniel.okafor",
                8,
                "Thursday too. Could we do the invoices topic? The late payment thread was "
                "the most useful thing I read this year.",
            ),
            (
                STEPHANIE.key,
                3,
                "Bonne idée Daniel, je propose les factures et les relances comme thème.",
            ),
            (
                "hannah.price",
                6,
                "Voted. Tuesday would be my second choice if Thursday fills up.",
            ),
        ],
    ),
    ThreadPlan(
        title="Qui vient au SoloCamp ?",
        author=STEPHANIE.key,
        days_ago=4,
        body=(
            "En relisant les notes du SoloCamp de Leeds, j'ai très envie d'organiser un "
            "SoloCamp francophone à Lausanne cet automne : une journée de barcamp, on "
            "choisit ensemble les thèmes le matin et chacun·e peut animer une discussion.\n\n"
            "Avant de me lancer : qui viendrait ? Dites-moi aussi quels thèmes vous "
            "aimeriez aborder."
        ),
        replies=[
            ("camille.rochat", 1, "Moi ! Et je veux bien animer un atelier sur la TVA."),
            ("julien.favre", 2, "Présent. Je m'occupe du wifi, comme d'habitude."),
            (
                "aline.bonvin",
                2,
                "Oui ! Je peux faire les affiches et les badges.",
            ),
            (
                "daniel.okafor",
                5,
                "Je viens de Leeds si c'est un samedi ! Mon français sera meilleur d'ici "
                "là, promis.",
            ),
            (
                "sophie.meylan",
                3,
                "Count me in. I'd like a session on saying no and protecting your time.",
            ),
            (
                STEPHANIE.key,
                4,
                "{@daniel.okafor} génial, on fera un samedi. Et on aura des sessions en "
                "anglais aussi, ne t'inquiète pas.",
            ),
            (
                "nicolas.pittet",
                6,
                "Je viens, et je propose « trouver des clients sans démarcher ».",
            ),
            (
                "pauline.rey",
                8,
                "Partante. Je peux parler des conditions générales en trente minutes, sans jargon.",
            ),
            (
                "ines.peeters",
                10,
                "Bruxelles–Lausanne, c'est faisable en train. Je viens si la date tombe "
                "hors des vacances scolaires belges.",
            ),
            (
                "isabelle.mercier",
                4,
                "I'll come from Geneva, and I can run a short session on interviewing "
                "your own clients.",
            ),
            (
                "mathilde.perrin",
                7,
                "Je viendrai de Lyon avec deux collègues indépendantes, si c'est ouvert "
                "aux non-membres.",
            ),
            (
                STEPHANIE.key,
                2,
                "Ouvert à tout le monde bien sûr ! Je prépare un sondage pour la date, "
                "merci pour cet enthousiasme.",
            ),
        ],
    ),
    ThreadPlan(
        title="Vacances : qui part vraiment sans son ordinateur ?",
        author="gabriel.tremblay",
        days_ago=2,
        body=(
            "Je pars deux semaines en Gaspésie en juillet. Ma conjointe m'a fait promettre "
            "de laisser l'ordinateur à la maison. Je suis terrorisé.\n\n"
            "Vous faites comment pour vraiment décrocher ? Message d'absence, "
            "collègue de remplacement, rien du tout ?"
        ),
        replies=[
            (
                "emilie.gagnon",
                2,
                "Message d'absence clair, date de retour, et prévenir les clients trois "
                "semaines avant. Personne ne t'en voudra, promis.",
            ),
            (
                "kevin.brooks",
                4,
                "I leave the laptop, but I keep the phone with the email app deleted. If "
                "it's urgent, they'll call. In five years, nobody has called.",
            ),
            (
                "helene.roux",
                6,
                "Je pars sans rien et je préviens mes clients en leur proposant une "
                "collègue en cas d'urgence. Ça fait aussi travailler les copines.",
            ),
            (
                "gabriel.tremblay",
                5,
                "Bon, vous m'avez convaincu. L'ordinateur reste à Montréal.",
            ),
        ],
    ),
    ThreadPlan(
        title="Do you put your rates on your website?",
        author="hannah.price",
        days_ago=0.6,
        body=(
            "Quick question while I rewrite my website: do you publish your rates? I "
            "like the transparency, and it would filter out people who can't afford me, "
            "but I worry about being compared on price alone."
        ),
        replies=[
            (
                "james.fletcher",
                1,
                'I publish a "projects start at" figure. It filters without locking me '
                "into a price list.",
            ),
            (
                "claire.lemoine",
                2,
                "Pareil : « à partir de », et trois exemples de projets avec leur budget. "
                "Les demandes sont beaucoup plus sérieuses depuis.",
            ),
            (
                "sanne.de.vries",
                3,
                "Same here, and it saved me dozens of discovery calls that went nowhere.",
            ),
        ],
    ),
]

# How often each demo login has opened a thread, fully or part of the way.
DEMO_READERS = {
    STEPHANIE.key: (0.8, 0.15),  # (read to the end, read part of it); the rest: never opened
    OLIVER.key: (0.55, 0.25),
    NATHALIE.key: (0.7, 0.2),
    MARCO.key: (0.3, 0.35),
}
DEMO_EMOJI = ["👍", "👍", "👍", "❤️", "❤️", "🙏", "🎉", "😂", "🤔"]


def _demo_text(demo, text):
    """TEXT with "{@key}" turned into the @handle of that person."""
    import re

    return re.sub(r"\{@([\w.-]+)\}", lambda m: "@" + demo.users[m.group(1)].handle, text)


def _demo_chart_png():
    """A small bar chart, drawn here: days it took clients to pay, by kind of client."""
    import io

    from PIL import Image, ImageDraw

    bars = [("Small businesses", 24, (11, 110, 79)), ("Public bodies", 47, (52, 101, 164))]
    bars.append(("Large companies", 63, (196, 78, 52)))
    image = Image.new("RGB", (480, 280), (250, 248, 243))
    draw = ImageDraw.Draw(image)
    draw.text((20, 14), "Days to get paid, 2024 (average)", fill=(30, 30, 30))
    draw.line((20, 250, 460, 250), fill=(120, 120, 120), width=1)
    for index, (label, days, colour) in enumerate(bars):
        left = 50 + index * 140
        top = 250 - days * 3
        draw.rectangle((left, top, left + 80, 249), fill=colour)
        draw.text((left + 28, top - 16), str(days), fill=(30, 30, 30))
        draw.text((left - 8, 258), label, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _demo_attachment(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from goingsolo.core.uploads import check_upload

    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return [(check_upload(upload), upload)]


def _demo_post_times(demo, plan):
    """When the opening post and each reply were written: in order, all in the past."""
    times = [demo.now - timedelta(days=plan.days_ago)]
    for reply in plan.replies:
        times.append(times[-1] + timedelta(hours=reply[1]))
    # Squeeze a thread that would run into the future so its last reply is a few minutes old.
    latest = demo.now - timedelta(minutes=7)
    if times[-1] > latest:
        span = (times[-1] - times[0]) or timedelta(minutes=1)
        scale = (latest - times[0]) / span
        times = [times[0] + (moment - times[0]) * scale for moment in times]
    return times


def _demo_thread(demo, plan, rng):
    """Starts PLAN's thread with its replies, poll, image, reactions and votes; returns
    its posts."""
    from goingsolo.discussions import services
    from goingsolo.discussions.models import Post, Thread

    group = demo.groups[GOING_SOLO]
    times = _demo_post_times(demo, plan)
    poll = None
    if plan.poll:
        poll = {
            "question": plan.poll["question"],
            "options": plan.poll["options"],
            "closes_at": demo.now + timedelta(days=plan.poll["closes_in_days"]),
        }
    opening = services.thread_start(
        group=group,
        author=demo.users[plan.author],
        title=plan.title,
        body=_demo_text(demo, plan.body),
        poll=poll,
        created_at=times[0],
    ).post
    thread = opening.thread
    posts = [opening]
    for reply, created_at in zip(plan.replies, times[1:], strict=True):
        key, _hours, text, *quoted = reply
        attachments = None
        if plan.image_at == len(posts) + 1:
            attachments = _demo_attachment("days-to-get-paid.png", _demo_chart_png())
        posts.append(
            services.post_reply(
                thread=thread,
                author=demo.users[key],
                body=_demo_text(demo, text),
                quoted_post=posts[quoted[0] - 1] if quoted else None,
                created_at=created_at,
                attachments=attachments,
            ).post
        )
    if plan.announce:
        # Demo history: this announcement was emailed weeks ago. thread_announce would email
        # it now to every (fictional) member, which a new instance's first start would print.
        Thread.objects.filter(pk=thread.pk).update(is_announcement=True, is_pinned=True)
    members = [person.key for person in GOING_SOLO_PEOPLE]
    for post in posts:
        count = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 5])
        if post.position == 1:
            count += 2 + plan.announce * 4
        reactors = rng.sample([key for key in members if demo.users[key] != post.author], count)
        for key in reactors:
            services.reaction_add(post=post, user=demo.users[key], emoji=rng.choice(DEMO_EMOJI))
    if thread_poll := getattr(thread, "poll", None):
        options = list(thread_poll.options.order_by("position"))
        weights = [3, 1, 6, 2]
        voters = rng.sample(members, 19)
        for key in voters:
            option = rng.choices(options, weights=weights[: len(options)])[0]
            services.poll_vote(poll=thread_poll, user=demo.users[key], option_ids=[option.pk])
    return list(Post.objects.filter(thread=thread).select_related("thread__group"))


def _demo_read_states(demo, threads, rng):
    """The demo logins have read some threads to the end, some part of the way, and never
    opened others (shown as "New")."""
    from goingsolo.discussions import services

    for key, (full, partial) in DEMO_READERS.items():
        user = demo.users[key]
        for thread in threads:
            draw = rng.random()
            if draw < full:
                position = thread.last_position
            elif draw < full + partial:
                position = rng.randint(1, max(thread.last_position - 1, 1))
            else:
                continue
            services.thread_mark_read(thread=thread, user=user, position=position)


def add_discussions(demo):
    """About fifteen threads of the Going Solo group, in French and English, with replies,
    quotes, mentions, reactions, a poll, an image and a pinned announcement; then read
    states for the demo logins and the search index (at once: the demo's jobs wait for
    the worker)."""
    from goingsolo.discussions.models import Thread
    from goingsolo.discussions.search_index import index_post

    group = demo.groups[GOING_SOLO]
    present = set(Thread.objects.filter(group=group).values_list("title", flat=True))
    rng = demo.random("discussions")
    new_threads, new_posts = [], []
    for number, plan in enumerate(DEMO_THREADS, start=1):
        # Drawn for every thread, so a thread's reactions do not depend on what is there.
        thread_rng = random.Random(rng.random())
        if plan.title not in present:
            posts = _demo_thread(demo, plan, thread_rng)
            new_posts += posts
            new_threads.append(posts[0].thread)
        demo.progress(number, len(DEMO_THREADS))
    _demo_read_states(demo, [Thread.objects.get(pk=t.pk) for t in new_threads], rng)
    for post in new_posts:
        index_post(post)


STEPS.append(("Threads", add_discussions))


def mark_history_mailed(demo):
    """The community's past went out in the digests of the days it happened: each demo
    member's next digest starts at the end of the load (the last step: the events' threads
    are posted as the load runs). Without it, the worker's first check would queue the
    whole history as a digest for every member whose morning has come, and the embedded
    run would print some fifty of them at its first start. Members who had a digest keep
    their window (`--force` on a running demo)."""
    from goingsolo.mail.models import ListSubscription
    from goingsolo.mail.subscriptions import ensure_subscriptions

    members = [user.pk for user in demo.users.values()]
    ensure_subscriptions(Membership.objects.filter(user_id__in=members))
    ListSubscription.objects.filter(user_id__in=members, last_digest_at__isnull=True).update(
        last_digest_at=timezone.now()
    )
    demo.progress(1, 1)


STEPS.append(("Digests", mark_history_mailed))
