"""The barcamps of the demo: SoloCamp Leeds, a Saturday three weeks away whose participants
have agreed on their topics, with a published grid and the first notes in the group's
wiki; and the French-speaking SoloCamp in Lausanne, months away, where proposals and
votes are open. Plain data: goingsolo/demo/steps/barcamp.py makes them through the
events', barcamp's and wiki's services.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

from dataclasses import dataclass, field

from .groups import GOING_SOLO, LEEDS
from .people import OLIVER, STEPHANIE


@dataclass(frozen=True)
class SessionPlan:
    title: str
    facilitators: list  # keys
    kind: str  # talk, discussion, workshop
    language: str
    description: str
    wanted_by: list = field(default_factory=list)  # keys, besides the facilitators
    notes: str = ""  # what the facilitators already wrote on the notes page


@dataclass(frozen=True)
class BarcampPlan:
    group: str  # slug
    organiser: str  # key
    title_en: str
    title_fr: str
    description_en: str
    description_fr: str
    in_days: int  # the Saturday at least this many days away
    starts: str  # "HH:MM" in TIME_ZONE
    ends: str
    time_zone: str
    venue_name: str
    address: str
    city: str
    country: str
    rooms: list  # (name, capacity)
    slots: list  # ("HH:MM", "HH:MM")
    participants: list  # keys of the people with a seat (members, or joining the group)
    sessions: list
    published: bool = False


LEEDS_SOLOCAMP = BarcampPlan(
    group=LEEDS,
    organiser=OLIVER.key,
    title_en="SoloCamp Leeds",
    title_fr="SoloCamp Leeds",
    description_en=(
        "A day of sessions by and for freelancers. We agreed on the topics together; "
        "the grid below places them so that nobody misses what they came for. Bring "
        "notes, questions and a packed lunch."
    ),
    description_fr=(
        "Une journée de sessions par et pour les indépendant·es. Les thèmes ont été "
        "choisis ensemble ; la grille les place pour que personne ne manque ce qui "
        "l'intéresse."
    ),
    in_days=21,
    starts="09:30",
    ends="16:30",
    time_zone="Europe/London",
    venue_name="Munro House",
    address="Duke Street",
    city="Leeds",
    country="GB",
    rooms=[("The Hall", 40), ("Studio", 16), ("Kitchen table", 8)],
    slots=[("10:00", "10:45"), ("11:00", "11:45"), ("13:30", "14:15"), ("14:30", "15:15")],
    participants=[
        OLIVER.key,
        STEPHANIE.key,
        "rachel.whitaker",
        "daniel.okafor",
        "emma.sutcliffe",
        "james.fletcher",
        "hannah.price",
        "tom.ackroyd",
        "aisha.khan",
        "ben.holroyd",
        "priya.raman",
        "lukas.becker",
        "sanne.de.vries",
        "rebecca.miller",
        "marta.puig",
        "ines.carvalho",
        "kevin.brooks",
        "liam.obrien",
        "grace.kim",
        "nathalie",
    ],
    published=True,
    sessions=[
        SessionPlan(
            "Pricing your work",
            ["rachel.whitaker"],
            "discussion",
            "en",
            "Day rates, project rates, and how to raise them without losing clients.",
            [
                "daniel.okafor",
                "tom.ackroyd",
                "aisha.khan",
                "ben.holroyd",
                "priya.raman",
                "lukas.becker",
                "kevin.brooks",
                "grace.kim",
                "hannah.price",
            ],
            notes=(
                "## Questions to start with\n\n- When did you last raise your rates?\n"
                "- Day rate or project rate?\n- Deposits: who asks for one?"
            ),
        ),
        SessionPlan(
            "Tax returns without tears",
            ["emma.sutcliffe"],
            "workshop",
            "en",
            "Self Assessment step by step, with the spreadsheet I use all year.",
            ["tom.ackroyd", "ben.holroyd", "james.fletcher", "liam.obrien", "aisha.khan"],
        ),
        SessionPlan(
            "Loneliness and the home office",
            ["hannah.price", "aisha.khan"],
            "discussion",
            "en",
            "How we keep people around us when nobody shares our office.",
            [
                "rebecca.miller",
                "sanne.de.vries",
                "marta.puig",
                "nathalie",
                "daniel.okafor",
                "grace.kim",
                "rachel.whitaker",
            ],
            notes="We will collect what works: coworking days, walks, calls, the pub quiz.",
        ),
        SessionPlan(
            "Finding your first clients",
            ["oliver"],
            "talk",
            "en",
            "What worked for me in 2008 and what I would do today.",
            ["ines.carvalho", "liam.obrien", "kevin.brooks", "lukas.becker", "priya.raman"],
        ),
        SessionPlan(
            "Contracts in plain English",
            ["james.fletcher"],
            "talk",
            "en",
            "The five clauses that saved me, and the one I wish I had had.",
            ["rachel.whitaker", "marta.puig", "sanne.de.vries", "emma.sutcliffe"],
        ),
        SessionPlan(
            "Saying no to clients",
            ["daniel.okafor"],
            "discussion",
            "en",
            "Scope creep, rush jobs and friends of friends: how do you say no?",
            ["hannah.price", "rebecca.miller", "ben.holroyd", "tom.ackroyd", "nathalie"],
        ),
        SessionPlan(
            "Portfolio clinic",
            ["tom.ackroyd"],
            "workshop",
            "en",
            "Bring your portfolio site; we look at it together and fix one thing each.",
            ["ines.carvalho", "marta.puig", "grace.kim"],
        ),
        SessionPlan(
            "Working from abroad",
            ["sanne.de.vries", "lukas.becker"],
            "discussion",
            "en",
            "Visas, time zones and clients who think you are next door.",
            ["rebecca.miller", "kevin.brooks", "nathalie", "priya.raman", "stephanie"],
        ),
        SessionPlan(
            "Travailler en deux langues",
            ["stephanie", "nathalie"],
            "discussion",
            "fr",
            "Clients anglophones, clients francophones : comment on s'organise.",
            ["marta.puig", "ines.carvalho"],
        ),
        SessionPlan(
            "Saying yes to a day off",
            ["ben.holroyd"],
            "discussion",
            "en",
            "Holidays, sick days and the guilt that comes with them.",
            ["emma.sutcliffe", "hannah.price", "liam.obrien"],
        ),
        SessionPlan(
            "Podcasting on a budget",
            ["kevin.brooks"],
            "workshop",
            "en",
            "A microphone, a quiet cupboard and free software.",
            ["grace.kim", "rebecca.miller"],
        ),
        SessionPlan(
            "Bookkeeping apps compared",
            ["priya.raman"],
            "talk",
            "en",
            "Five apps, one month each, and what I kept.",
            ["emma.sutcliffe", "james.fletcher", "oliver"],
        ),
    ],
)


LAUSANNE_SOLOCAMP = BarcampPlan(
    group=GOING_SOLO,
    organiser=STEPHANIE.key,
    title_en="French-speaking SoloCamp Lausanne",
    title_fr="SoloCamp francophone Lausanne",
    description_en=(
        "The French-speaking SoloCamp: propose a session and vote for those you want "
        "to attend. The grid comes once the votes are in."
    ),
    description_fr=(
        "Le SoloCamp francophone : proposez une session et votez pour celles qui vous "
        "intéressent. La grille viendra quand les votes seront là."
    ),
    in_days=100,
    starts="09:00",
    ends="17:00",
    time_zone="Europe/Zurich",
    venue_name="La Forge",
    address="Rue de Genève 17",
    city="Lausanne",
    country="CH",
    rooms=[("Grande salle", 35), ("Atelier", 15), ("Salon", 10)],
    slots=[("10:00", "10:50"), ("11:00", "11:50"), ("14:00", "14:50"), ("15:00", "15:50")],
    participants=[
        STEPHANIE.key,
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
    sessions=[
        SessionPlan(
            "Fixer ses tarifs quand on débute",
            ["camille.rochat"],
            "discussion",
            "fr",
            "Tarif journalier, forfait, acompte : on compare nos pratiques.",
            ["julien.favre", "pauline.rey", "valentin.jacot", "mathilde.perrin", "ines.peeters"],
        ),
        SessionPlan(
            "La TVA suisse pour les indépendant·es",
            ["nicolas.pittet"],
            "workshop",
            "fr",
            "Seuils, décomptes et erreurs courantes, avec des exemples réels.",
            ["marco", "aline.bonvin", "sophie.meylan"],
        ),
        SessionPlan(
            "Travailler avec des clients français depuis la Suisse",
            ["marco", "claire.lemoine"],
            "discussion",
            "fr",
            "Devis, facturation, droit applicable : ce que nous avons appris.",
            ["antoine.moreau", "romain.chevalier", "camille.rochat"],
        ),
        SessionPlan(
            "Coworking à Lausanne : état des lieux",
            ["aline.bonvin"],
            "discussion",
            "fr",
            "Les lieux, les prix, et l'envie d'en ouvrir un ensemble.",
            ["sophie.meylan", "julien.favre", "stephanie"],
        ),
        SessionPlan(
            "Écrire ses conditions générales",
            ["antoine.moreau"],
            "workshop",
            "fr",
            "On part d'un modèle et on l'adapte à votre métier.",
            ["valentin.jacot", "pauline.rey"],
        ),
    ],
)

BARCAMPS = [LEEDS_SOLOCAMP, LAUSANNE_SOLOCAMP]
