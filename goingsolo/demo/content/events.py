"""The events of the demo: the Going Solo conference of 2008 with its talks and their
recordings, the next "First Thursday" of Going Solo Leeds, and an open "would you come?"
for a French-speaking SoloCamp in Lausanne. Plain data: goingsolo/demo/steps/events.py
makes them through the events' services.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

from dataclasses import dataclass, field
from datetime import date

from .groups import GOING_SOLO, LEEDS
from .people import OLIVER, STEPHANIE


@dataclass(frozen=True)
class EventPlan:
    """An event: the fields `events.services.event_create` takes, its times of day, and
    who comes."""

    group: str  # slug
    organiser: str  # key of a person
    kind: str
    title_en: str
    starts: str  # "HH:MM" in TIME_ZONE; the step chooses the day
    ends: str
    time_zone: str
    venue_name: str
    address: str
    city: str
    country: str
    capacity: int
    title_fr: str = ""
    description_en: str = ""
    description_fr: str = ""
    questions_en: list = field(default_factory=list)
    questions_fr: list = field(default_factory=list)
    # How long before it starts the event was made and announced.
    announced_days_before: int = 0
    going: list = field(default_factory=list)  # keys of the members with a seat
    interested: list = field(default_factory=list)  # keys


@dataclass(frozen=True)
class TalkPlan:
    start: str  # "HH:MM" on the day of the event
    end: str
    room: str
    title: str
    language: str
    speakers: list  # keys of members, or of GOING_SOLO_2008_GUESTS
    abstract: str
    recording: str  # a YouTube, Vimeo or PeerTube address


@dataclass(frozen=True)
class GuestSpeaker:
    """A speaker who is not a member."""

    name: str
    bio: str


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

# The conference: Friday 16 May 2008, announced three months before; people registered a
# month before and were checked in at the door.
GOING_SOLO_2008_DAY = date(2008, 5, 16)
GOING_SOLO_2008_REGISTERED_DAYS_BEFORE = 30
GOING_SOLO_2008_CHECKED_IN = "08:45"
GOING_SOLO_2008 = EventPlan(
    group=GOING_SOLO,
    organiser=STEPHANIE.key,
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
    starts="09:00",
    ends="17:30",
    time_zone="Europe/Zurich",
    venue_name="Casino de Montbenon",
    address="Allée Ernest-Ansermet 3",
    city="Lausanne",
    country="CH",
    capacity=120,
    announced_days_before=90,
    going=GOING_SOLO_2008_ATTENDEES,
)
GOING_SOLO_2008_GUESTS = {
    "anna.lindqvist": GuestSpeaker(
        "Anna Lindqvist",
        "Freelance writer and blogger in Stockholm since 2001. She helps independents "
        "become known for what they do best.",
    ),
    "jean.marc.rossier": GuestSpeaker(
        "Jean-Marc Rossier",
        "Graphiste indépendant à Fribourg depuis quinze ans, formateur en gestion "
        "d'entreprise pour les métiers créatifs.",
    ),
    "priscilla.odum": GuestSpeaker(
        "Priscilla Odum",
        "Coach for remote workers in London; she wrote a book on working from home "
        "without losing your mind.",
    ),
}
GOING_SOLO_2008_TALKS = [
    TalkPlan(
        start="09:15",
        end="09:45",
        room="Salle Paderewski",
        title="Going solo in a connected world",
        language="en",
        speakers=["stephanie"],
        abstract=(
            "Why this day exists: what the internet changes for people who work on their own, "
            "and what it does not."
        ),
        recording="https://www.youtube.com/watch?v=gS08LsnCm1A",
    ),
    TalkPlan(
        start="10:00",
        end="10:45",
        room="Salle Paderewski",
        title="Getting known without selling your soul",
        language="en",
        speakers=["anna.lindqvist"],
        abstract=(
            "Blogs, talks, word of mouth: being findable by the clients you want, in an hour a week."
        ),
        recording="https://vimeo.com/28749362",
    ),
    TalkPlan(
        start="11:00",
        end="11:45",
        room="Salle Paderewski",
        title="Fixer ses prix (et s'y tenir)",
        language="fr",
        speakers=["jean.marc.rossier"],
        abstract=(
            "Taux horaire, forfait, valeur : comment calculer un prix qui vous fait vivre, et "
            "comment l'annoncer sans trembler."
        ),
        recording="https://framatube.org/w/p3XkqVb7mZ2hT9sWcR4dNa",
    ),
    TalkPlan(
        start="13:30",
        end="14:15",
        room="Salle Paderewski",
        title="Organising yourself: tools and rituals",
        language="en",
        speakers=["anna.lindqvist"],
        abstract=(
            "Mornings, to-do lists, invoices on Fridays: the small habits that keep a one-person "
            "business running."
        ),
        recording="https://www.youtube.com/watch?v=Lq2kx7VnT0c",
    ),
    TalkPlan(
        start="14:30",
        end="15:15",
        room="Salle Paderewski",
        title="Rompre l'isolement du travailleur solitaire",
        language="fr",
        speakers=["stephanie", "jean.marc.rossier"],
        abstract=("Coworking, réseaux, groupes d'entraide : ne plus être seul·e devant son écran."),
        recording="https://vimeo.com/28751044",
    ),
    TalkPlan(
        start="15:30",
        end="16:15",
        room="Salle Paderewski",
        title="Work and life: where to draw the line",
        language="en",
        speakers=["priscilla.odum"],
        abstract=(
            "When your home is your office and your phone is your shop, the line has to be drawn "
            "on purpose."
        ),
        recording="https://www.youtube.com/watch?v=Zt4mR8wQp1E",
    ),
]

# The Leeds coffee and co-working morning; the step puts it on the first Thursday at least
# a week away. Announced three weeks before, so more than a week ago: the announcement is
# in no member's first digest.
LEEDS_FIRST_THURSDAY = EventPlan(
    group=LEEDS,
    organiser=OLIVER.key,
    kind="meetup",
    title_en="First Thursday: coffee and co-working",
    description_en=(
        "Bring your laptop, or just yourself. We work together in the morning, "
        "talk about clients and tax returns over coffee, and go for lunch at "
        "noon for those who can stay."
    ),
    starts="09:30",
    ends="12:30",
    time_zone="Europe/London",
    venue_name="The Corner Room, Café Lento",
    address="12 Call Lane",
    city="Leeds",
    country="GB",
    capacity=12,
    questions_en=["What are you working on at the moment?"],
    questions_fr=["Sur quoi travaillez-vous en ce moment\u00a0?"],
    announced_days_before=21,
    going=[
        "oliver",
        "rachel.whitaker",
        "daniel.okafor",
        "emma.sutcliffe",
        "tom.ackroyd",
        "aisha.khan",
        "ben.holroyd",
    ],
    interested=["james.fletcher"],
)


# SoloCamp, the barcamp held in Leeds in 2009 in place of a second Going Solo conference:
# nearly everyone the Leeds network could reach came (the seed's story). Its check-ins are
# the history the reach page forecasts from, and what says the network is exhausted.
SOLOCAMP_2009_DAY = date(2009, 6, 6)
SOLOCAMP_2009 = EventPlan(
    group=LEEDS,
    organiser=OLIVER.key,
    kind="barcamp",
    title_en="SoloCamp Leeds 2009",
    title_fr="SoloCamp Leeds 2009",
    description_en=(
        "A barcamp for freelancers, in place of the second Going Solo conference: no "
        "speakers booked, the programme is made on the day by who comes."
    ),
    starts="09:30",
    ends="17:30",
    time_zone="Europe/London",
    venue_name="Old Broadcasting House",
    address="148 Woodhouse Lane",
    city="Leeds",
    country="GB",
    capacity=60,
    going=[
        "oliver",
        "stephanie",
        "rachel.whitaker",
        "daniel.okafor",
        "emma.sutcliffe",
        "james.fletcher",
        "hannah.price",
        "tom.ackroyd",
        "aisha.khan",
        "ben.holroyd",
    ],
)
# Who was checked in at SoloCamp (the others had a seat and did not come).
SOLOCAMP_2009_CAME = [
    "oliver",
    "stephanie",
    "rachel.whitaker",
    "daniel.okafor",
    "emma.sutcliffe",
    "tom.ackroyd",
    "aisha.khan",
    "ben.holroyd",
]


@dataclass(frozen=True)
class InterestCheckPlan:
    """A "would you come?": the fields `events.services.interest_check_open` takes, with
    its window in days from today (in TIME_ZONE), and who answered what."""

    group: str  # slug
    organiser: str  # key of a person
    kind: str
    city: str
    country: str
    time_zone: str
    window_starts_in_days: int
    window_ends_in_days: int
    threshold: int
    asked_days_ago: int
    note: str
    answers: dict  # answer → keys of the members who gave it
    from_cities: dict = field(default_factory=dict)  # key → the city they would come from


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
SOLOCAMP_CHECK = InterestCheckPlan(
    group=GOING_SOLO,
    organiser=STEPHANIE.key,
    kind="barcamp",
    city="Lausanne",
    country="CH",
    time_zone="Europe/Zurich",
    window_starts_in_days=90,
    window_ends_in_days=150,
    # Close to it: 14 yes so far.
    threshold=16,
    asked_days_ago=6,
    note=(
        "En me replongeant dans Going Solo et le SoloCamp de Leeds, j'ai assez envie "
        "de mettre sur pied un SoloCamp francophone à Lausanne : une journée, un "
        "samedi, on choisit les thèmes ensemble le matin. Ça vous dirait ?\n\n"
        "Thinking of a French-speaking SoloCamp in Lausanne, a barcamp on a Saturday. "
        "Would you come?"
    ),
    answers=SOLOCAMP_CHECK_ANSWERS,
    from_cities={"antoine.moreau": "Paris"},
)


# "Would you come to a second Going Solo Leeds conference?": the few who answer are those
# who came to SoloCamp; the reach page says the Leeds network is exhausted.
LEEDS_CONFERENCE_CHECK = InterestCheckPlan(
    group=LEEDS,
    organiser=OLIVER.key,
    kind="conference",
    city="Leeds",
    country="GB",
    time_zone="Europe/London",
    window_starts_in_days=120,
    window_ends_in_days=180,
    threshold=40,
    asked_days_ago=10,
    note=(
        "Should we try a second Going Solo Leeds conference, a full day with speakers? "
        "We need about forty people to cover the venue."
    ),
    answers={
        "yes": ["oliver", "rachel.whitaker", "daniel.okafor", "emma.sutcliffe"],
        "maybe": ["tom.ackroyd"],
        "no": ["aisha.khan", "ben.holroyd"],
    },
)
