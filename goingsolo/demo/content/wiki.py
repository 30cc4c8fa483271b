"""The Going Solo group's wiki in the demo: notes from past barcamp sessions, with their
history. Plain data: goingsolo/demo/steps/wiki.py imports them with
`wiki.services.page_import`.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

from dataclasses import dataclass

from .people import MARCO, NATHALIE, OLIVER, STEPHANIE


@dataclass(frozen=True)
class RevisionPlan:
    """A revision; the step keeps it after the author joined and after the one before."""

    author: str  # key of a person
    days_ago: int
    summary: str
    text: str


@dataclass(frozen=True)
class WikiPagePlan:
    title: str
    revisions: list  # RevisionPlan, oldest first


# Notes from past barcamp sessions, moved from the old spammed wiki to the group's own.
WIKI_PAGES = [
    WikiPagePlan(
        "SoloCamp Leeds 2008",
        [
            RevisionPlan(
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
            RevisionPlan(
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
    WikiPagePlan(
        "Pricing your work",
        [
            RevisionPlan(
                OLIVER.key, 398, "Notes from the session",
                "# Pricing your work\n\n"
                "Session led by Oliver, SoloCamp Leeds 2008, room 2.\n\n"
                "## Day rate or project rate?\n\n"
                "- A day rate is easy to explain and punishes you for working fast.\n"
                "- A project rate rewards experience, if the scope is written down.\n\n"
                "## Deposits\n\n"
                "Ask for 30 % before starting. Nobody in the room regretted it.",
            ),
            RevisionPlan(
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
            RevisionPlan(
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
    WikiPagePlan(
        "Working from home without going mad",
        [
            RevisionPlan(
                "sophie.meylan", 397, "Session notes",
                "# Working from home without going mad\n\n"
                "- Get dressed. Really.\n"
                "- A door you can close, or at least a corner that is only for work.\n"
                "- Lunch away from the desk, with someone when you can.\n",
            ),
            RevisionPlan(
                MARCO.key, 380, "Coworking days",
                "# Working from home without going mad\n\n"
                "- Get dressed. Really.\n"
                "- A door you can close, or at least a corner that is only for work.\n"
                "- Lunch away from the desk, with someone when you can.\n"
                "- One coworking day a week: the group meets on Fridays, see the events.\n",
            ),
        ],
    ),
    WikiPagePlan(
        "Trouver ses premiers clients",
        [
            RevisionPlan(
                STEPHANIE.key, 396, "Notes de la session",
                "# Trouver ses premiers clients\n\n"
                "Session animée en français, salle 4 — oui, il y avait une salle francophone "
                "à Leeds.\n\n"
                "## Ce qui a marché pour nous\n\n"
                "- Les anciens employeurs : souvent le premier mandat.\n"
                "- Le bouche-à-oreille, à condition de dire clairement ce qu'on fait.\n"
                "- Un blog tenu régulièrement, même court.\n",
            ),
            RevisionPlan(
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
            RevisionPlan(
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
    WikiPagePlan(
        "Going Solo Lausanne 2008 : notes",
        [
            RevisionPlan(
                STEPHANIE.key, 410, "Notes de la conférence",
                "# Going Solo Lausanne 2008\n\n"
                "Une journée de conférences pour les indépendants, en anglais et en français.\n\n"
                "## Ce qu'on en a retenu\n\n"
                "- Être seul ne veut pas dire travailler seul.\n"
                "- Les outils en ligne remplacent une partie du bureau, pas les collègues.\n",
            ),
            RevisionPlan(
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
