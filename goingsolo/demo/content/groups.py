"""The groups of the demo, who is in them and with which role, who waits for an answer and
who is invited. Plain data: goingsolo/demo/steps/groups.py makes the rows, through the
groups' services.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

from dataclasses import dataclass, field

from goingsolo.groups.models import JoinPolicy, Role, Visibility

from .people import GOING_SOLO_PEOPLE, HUGO, LEEDS_PEOPLE, MARCO, NATHALIE, OLIVER, STEPHANIE

GOING_SOLO = "going-solo"
LEEDS = "going-solo-leeds"
SOLOCAMP = "solocamp-lausanne-organisation"

GOING_SOLO_QUESTIONS = [
    "What do you do as an independent worker? / Quelle est votre activité d'indépendant·e ?",
    "How did you hear about Going Solo? / Comment avez-vous connu Going Solo ?",
]


@dataclass
class GroupPlan:
    """A group, its owner and members; `groups.services.group_create` takes most fields."""

    slug: str
    name: str
    owner: str  # key of a person
    visibility: str
    join_policy: str
    description_en: str = ""
    description_fr: str = ""
    rules: str = ""
    join_questions: list = field(default_factory=list)
    created_days_ago: int = 0  # not before its owner joined the site
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


@dataclass(frozen=True)
class JoinRequestPlan:
    """Someone waiting for an answer from a group that approves its members."""

    group: str  # slug
    applicant: str  # key of a person
    answers: list  # one per question of the group, in order


# Applicants to Going Solo, with their answers to GOING_SOLO_QUESTIONS.
JOIN_REQUESTS = [
    JoinRequestPlan(
        group=GOING_SOLO,
        applicant=HUGO.key,
        answers=[
            "Ébéniste, je fabrique des meubles sur mesure dans mon atelier.",
            "Par Camille, qui fait ma comptabilité.",
        ],
    ),
    JoinRequestPlan(
        group=GOING_SOLO,
        applicant="grace.kim",
        answers=[
            "Voice-over and audiobook narration, from my home studio in Toronto.",
            "Sarah Cohen told me about it at a conference in Montréal.",
        ],
    ),
    JoinRequestPlan(
        group=GOING_SOLO,
        applicant="nora.haddad",
        answers=[
            "Community manager indépendante depuis six mois.",
            "J'ai lu un billet de blog sur la conférence de Lausanne.",
        ],
    ),
]


@dataclass(frozen=True)
class InvitationPlan:
    """An invitation not used yet."""

    group: str  # slug
    invited: str  # key of a person
    invited_by: str  # key of a person


INVITATIONS = [
    InvitationPlan(group=SOLOCAMP, invited=MARCO.key, invited_by=STEPHANIE.key),
]
