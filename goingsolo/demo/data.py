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
