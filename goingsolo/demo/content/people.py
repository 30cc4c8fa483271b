"""The people of the demo: who they are, where they live, what they do, and the logins
`goingsolo demo` prints. Plain data: goingsolo/demo/steps/people.py makes the accounts.

A person is known by `key`, the part of their address before the @ ("stephanie",
"camille.rochat"): the other content names people by key.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

import unicodedata
from dataclasses import dataclass

# Every demo address ends with one of these (.example is reserved, RFC 2606): a member
# with another address is a real one, and the command will not mix the demo in unasked.
DEMO_DOMAINS = ("goingsolo.example",)
DEMO_DOMAIN = DEMO_DOMAINS[0]
DEMO_PASSWORD = "goingsolo-demo"
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


# fmt: off

# The people whose logins are printed.
STEPHANIE = Person(
    "Stephanie", "Lausanne", ["fr", "en"], "fr",
    "réseaux sociaux, formation, conseil web, animation de communauté",
    "Consultante web et formatrice à Lausanne. J'ai organisé la conférence Going Solo en "
    "2008, puis le SoloCamp de Leeds ; ce groupe est la suite de cette aventure.",
    website="https://stephanie.example.net", key="stephanie",
)
OLIVER = Person(
    "Oliver Hartley", "Leeds", ["en", "fr"], "en",
    "web development, Django, technical consulting",
    "Freelance web developer in Leeds. I came to the SoloCamp that replaced Going Solo "
    "Leeds and never quite left. I look after the group settings and the Leeds meetups.",
    website="https://hartley-web.example.com", open_to_work=True, key="oliver",
)
NATHALIE = Person(
    "Nathalie Girard", "Montréal", ["fr", "en"], "fr",
    "traduction anglais-français, révision, localisation",
    "Traductrice anglais-français à Montréal depuis douze ans. Je modère le groupe pendant "
    "que l'Europe dort.",
    website="https://girard-traduction.example.org", key="nathalie",
)
MARCO = Person(
    "Marco Bernasconi", "Genève", ["fr", "it", "en"], "fr",
    "photographie, portraits d'entreprise, reportage, vidéo",
    "Photographe à Genève : portraits, reportages, événements. Toujours partant pour une "
    "journée de coworking.",
    website="https://bernasconi-photo.example.com", open_to_work=True, key="marco",
)
LEA = Person(
    "Léa Fontaine", "Lyon", ["fr", "en"], "fr",
    "illustration, motion design, édition jeunesse",
    "Illustratrice à Lyon, à mon compte depuis trois mois. Je cherche des gens qui sont "
    "passés par là avant moi.",
    open_to_work=True, key="lea",
)
HUGO = Person(
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
    Person("Camille Rochat", "Lausanne", ["fr", "de", "en"], "fr",
           "comptabilité, fiscalité des indépendants, TVA",
           "Fiduciaire indépendante à Lausanne. Je traduis le jargon fiscal en français courant.",
           website="https://rochat-fiduciaire.example.org"),
    Person("Julien Favre", "Lausanne", ["fr", "en"], "fr",
           "développement web, Python, hébergement",
           "Développeur indépendant. Je fais des sites qui tiennent debout et je les héberge en "
           "Suisse.", website="https://favre.example.net", open_to_work=True),
    Person("Sophie Meylan", "Lausanne", ["fr", "en", "de"], "en",
           "coaching, gestion du temps, prévention de l'épuisement",
           "Coach pour indépendant·es débordé·es. J'ai moi-même appris à dire non, un peu tard."),
    Person("Nicolas Pittet", "Lausanne", ["fr", "en"], "fr",
           "rédaction, relations presse, communication associative",
           "Ancien journaliste, j'écris pour les PME et les associations vaudoises.",
           website="https://pittet-redaction.example.com"),
    Person("Aline Bonvin", "Lausanne", ["fr", "en", "it"], "fr",
           "graphisme, identité visuelle, mise en page",
           "Graphiste. Logos, affiches, rapports annuels ; j'aime quand c'est simple et lisible.",
           website="https://alinebonvin.example.org", open_to_work=True),
    Person("Isabelle Mercier", "Genève", ["fr", "en", "es"], "en",
           "UX research, user interviews, workshop facilitation",
           "UX researcher in Geneva, working mostly with NGOs and international organisations."),
    Person("Pauline Rey", "Genève", ["fr", "en"], "fr",
           "droit des contrats, propriété intellectuelle, conditions générales",
           "Juriste indépendante. Je relis vos contrats avant qu'il ne soit trop tard.",
           website="https://rey-juriste.example.com"),
    Person("Valentin Jacot", "Neuchâtel", ["fr", "de", "en"], "fr",
           "e-commerce, Shopify, automatisation",
           "J'aide les artisans à vendre en ligne sans y passer leurs soirées.", open_to_work=True),
    Person("Thomas Keller", "Zürich", ["de", "en", "fr"], "en",
           "data analysis, dashboards, Excel training",
           "Data analyst gone solo. I turn messy spreadsheets into decisions.",
           website="https://keller-data.example.net"),
    Person("Claire Lemoine", "Paris", ["fr", "en"], "fr",
           "rédaction web, copywriting, référencement",
           "Rédactrice web : j'aide les indépendant·es à dire clairement ce qu'ils font.",
           website="https://clairelemoine.example.com", open_to_work=True),
    Person("Antoine Moreau", "Paris", ["fr", "en"], "fr",
           "design d'interfaces, Figma, design system",
           "Designer d'interfaces, quinze ans en agence puis le grand saut en 2011."),
    Person("Élodie Garnier", "Paris", ["fr", "en", "it"], "fr",
           "sous-titrage, traduction audiovisuelle",
           "Je sous-titre des documentaires et des séries, de l'anglais et de l'italien vers le "
           "français.", website="https://garnier-soustitres.example.org"),
    Person("Karim Benali", "Paris", ["fr", "ar", "en"], "fr",
           "développement mobile, iOS, Android",
           "Développeur mobile freelance, ancien de start-up. Disponible pour des missions "
           "courtes.", open_to_work=True),
    Person("Hélène Roux", "Paris", ["fr", "en"], "en",
           "food photography, styling, recipe writing",
           "Photographe culinaire. I shoot for cookbooks and small food brands.",
           website="https://helene-roux.example.net"),
    Person("Mathilde Perrin", "Lyon", ["fr", "en"], "fr",
           "expertise comptable, création d'entreprise, micro-entreprise",
           "Expert-comptable, j'accompagne surtout des créatifs et des consultants."),
    Person("Romain Chevalier", "Lyon", ["fr", "en", "de"], "fr",
           "formation, facilitation, intelligence collective",
           "Facilitateur : j'anime des ateliers où l'on décide vraiment quelque chose.",
           website="https://chevalier-facilitation.example.com"),
    Person("Inès Peeters", "Bruxelles", ["fr", "nl", "en"], "fr",
           "traduction juridique, interprétation",
           "Traductrice et interprète français-néerlandais-anglais à Bruxelles."),
    Person("Gabriel Tremblay", "Montréal", ["fr", "en"], "fr",
           "montage vidéo, balados, réalisation",
           "Monteur vidéo et réalisateur de balados. J'aime les projets qui finissent à temps.",
           website="https://tremblay-prod.example.org", open_to_work=True),
    Person("Émilie Gagnon", "Montréal", ["fr", "en"], "fr",
           "coaching de carrière, bilan de compétences",
           "Coach de carrière. J'ai quitté la fonction publique pour me lancer en 2010."),
    Person("Sarah Cohen", "Montréal", ["en", "fr", "he"], "en",
           "grant writing, nonprofit communications",
           "Grant writer for nonprofits. Bilingual by necessity, freelance by choice.",
           website="https://sarahcohen.example.com"),
    Person("Marie-Ève Lavoie", "Québec", ["fr", "en"], "fr",
           "rédaction technique, documentation, formation en ligne",
           "Rédactrice technique. Je rends les logiciels compréhensibles pour les humains."),
    Person("Rachel Whitaker", "Leeds", ["en"], "en",
           "bookkeeping, payroll, tax returns",
           "Bookkeeper for creative freelancers. I like tidy spreadsheets and strong tea.",
           website="https://whitaker-books.example.org"),
    Person("Daniel Okafor", "Leeds", ["en", "fr"], "en",
           "illustration, comics, editorial illustration",
           "Illustrator and comic artist. Learning French one Going Solo thread at a time.",
           open_to_work=True),
    Person("Emma Sutcliffe", "Leeds", ["en"], "en",
           "event organising, community building, workshops",
           "I organise events for small businesses and co-run the Leeds meetups.",
           website="https://sutcliffe-events.example.net"),
    Person("James Fletcher", "London", ["en", "fr"], "en",
           "brand strategy, naming, positioning workshops",
           "Brand strategist. Ten years in agencies, five on my own, never looked back."),
    Person("Priya Raman", "London", ["en", "hi"], "en",
           "product management, interim roles, agile coaching",
           "Interim product manager between two missions, always happy to talk pricing.",
           open_to_work=True),
    Person("Hannah Price", "London", ["en", "de"], "en",
           "copy editing, proofreading, style guides",
           "Editor and proofreader. Yes, I notice the double spaces.",
           website="https://hannahprice.example.org"),
    Person("Lukas Becker", "Berlin", ["de", "en"], "en",
           "backend development, Go, DevOps",
           "Backend developer. I keep other people's servers up and my evenings free.",
           open_to_work=True),
    Person("Johanna Richter", "Berlin", ["de", "fr", "en"], "fr",
           "traduction allemand-français-anglais, localisation",
           "Traductrice allemande, j'ai vécu six ans à Lyon et je travaille depuis Berlin.",
           website="https://richter-uebersetzung.example.com"),
    Person("Marta Puig", "Barcelona", ["ca", "es", "en", "fr"], "en",
           "web design, WordPress, accessibility",
           "Web designer. Accessible sites for small cultural organisations.",
           website="https://martapuig.example.net", open_to_work=True),
    Person("Jordi Vidal", "Barcelona", ["ca", "es", "en"], "en",
           "3D visualisation, architecture rendering",
           "I render buildings before they exist, from a desk with a view of the sea."),
    Person("Inês Carvalho", "Lisboa", ["pt", "fr", "en"], "fr",
           "traduction portugais-français, tourisme, rédaction",
           "Traductrice portugais-français à Lisbonne, surtout pour le tourisme et la culture.",
           website="https://carvalho-traducao.example.org"),
    Person("Tiago Ferreira", "Lisboa", ["pt", "en", "es"], "en",
           "remote work consulting, coworking management",
           "I run a small coworking space and help companies go remote without losing people."),
    Person("Sanne de Vries", "Amsterdam", ["nl", "en", "de"], "en",
           "UX writing, content design",
           "Content designer. I write the words on buttons, and I care a lot about them.",
           website="https://sannedevries.example.com"),
    Person("Rebecca Miller", "New York", ["en", "es"], "en",
           "public speaking coaching, presentation design",
           "Speaking coach. I help experts sound like themselves on stage.",
           website="https://rebeccamiller.example.net"),
    Person("Kevin Brooks", "New York", ["en"], "en",
           "podcast production, audio editing",
           "Podcast producer in Brooklyn. Ask me about microphones, at your own risk.",
           open_to_work=True),
    Person("Chloé Martin", "New York", ["fr", "en"], "fr",
           "traduction culinaire, rédaction de marque",
           "Française installée à New York, je traduis des livres de cuisine et des sites de "
           "marques."),
    Person("Emily Chen", "San Francisco", ["en", "zh-hans"], "en",
           "product design, design sprints",
           "Product designer, freelance since the startup I worked for folded.",
           website="https://emilychen.example.org"),
    Person("Jason Park", "San Francisco", ["en", "ko"], "en",
           "startup finance, part-time CFO, fundraising",
           "Part-time CFO for early-stage startups. Cash flow is a feeling too."),
    Person("Lucía Fernández", "Buenos Aires", ["es", "fr", "en"], "fr",
           "développement front-end, React, intégration",
           "Développeuse front-end. J'ai appris le français à l'Alliance française et je "
           "travaille surtout pour des clients européens.", open_to_work=True),
    Person("Martín Gómez", "Buenos Aires", ["es", "en"], "en",
           "travel photography, drone, travel writing",
           "Photographer and travel writer, usually somewhere between Patagonia and a deadline.",
           website="https://martingomez.example.com"),
    Person("Yuki Tanaka", "Tokyo", ["ja", "en", "fr"], "en",
           "Japanese-English translation, game localisation",
           "Translator and game localiser. I work while Europe sleeps, which is convenient."),
    Person("Aurélie Dumas", "Tokyo", ["fr", "ja", "en"], "fr",
           "illustration, guides de voyage, carnets",
           "Illustratrice installée à Tokyo depuis 2009. Je dessine des guides et des carnets de "
           "voyage.", website="https://aureliedumas.example.net"),
    Person("Chloe Nguyen", "Melbourne", ["en", "vi"], "en",
           "social media, content strategy",
           "Social media strategist. I answer your questions from tomorrow.",
           open_to_work=True),
    Person("Liam O'Brien", "Melbourne", ["en"], "en",
           "copywriting, brand voice, newsletters",
           "Copywriter. Newsletters people actually open.",
           website="https://obrien-copy.example.org"),
    Person("Aminata Diop", "Dakar", ["fr", "en"], "fr",
           "développement web, formation au numérique",
           "Développeuse et formatrice. J'apprends aux femmes entrepreneures de Dakar à se "
           "lancer en ligne.", open_to_work=True),
    Person("Moussa Ndiaye", "Dakar", ["fr", "en"], "fr",
           "conseil en communication, événementiel",
           "Consultant en communication et organisateur d'événements entre Dakar et Paris.",
           website="https://ndiaye-conseil.example.com"),
    Person("Yasmine El Amrani", "Casablanca", ["fr", "ar", "en"], "fr",
           "gestion de projet, conseil RH",
           "Consultante RH, j'accompagne les petites équipes qui grandissent trop vite."),
]

# People of the Leeds group who are not in Going Solo.
LEEDS_PEOPLE = [
    Person("Tom Ackroyd", "Leeds", ["en"], "en",
           "motion graphics, animation",
           "Motion designer. Found the Leeds group through a flyer in a café.",
           open_to_work=True),
    Person("Aisha Khan", "Bradford", ["en", "ar"], "en",
           "accountancy for sole traders, self-assessment",
           "Accountant for sole traders in West Yorkshire.",
           website="https://khan-accounts.example.net"),
    Person("Ben Holroyd", "Harrogate", ["en"], "en",
           "sound design, voice recording",
           "Sound designer working from a shed at the bottom of the garden."),
]

# People in no group: one who will explore, and the applicants waiting for an answer.
NOT_MEMBERS = [
    LEA,
    HUGO,
    Person("Grace Kim", "Toronto", ["en", "ko"], "en",
           "voice-over, audiobook narration",
           "Voice-over artist. I read audiobooks and explainer videos from my home studio."),
    Person("Nora Haddad", "Marseille", ["fr", "ar", "en"], "fr",
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
