"""French for the msgids added by the wiki's rename and watcher emails, to merge into
goingsolo/locale/fr/LC_MESSAGES/django.po (kept apart so the catalogue is edited on one
branch only). Keys are msgids exactly as gettext sees them; (context, msgid) for msgids
with a context; plural msgids map to [singular, plural] French forms, keyed by the
singular msgid (their msgid_plural is given in PLURALS)."""

T = {
    # --- Renaming (wiki) ---------------------------------------------------------------------
    ("wiki revision", "Renamed"): "Renommée",
    ("wiki", "Rename"): "Renommer",
    ("wiki", "Former titles"): "Anciens titres",
    "former title": "ancien titre",
    "former titles": "anciens titres",
    "New title": "Nouveau titre",
    "Reason": "Raison",
    "Why the new title is better, for the page's history.": (
        "Pourquoi le nouveau titre est meilleur, pour l’historique de la page."
    ),
    "Take over this title": "Reprendre ce titre",
    "“%(title)s” is a former title of the page “%(page)s”, and links to it lead there. To "
    "use it anyway, tick “Take over this title”: links to “%(title)s” and its former "
    "address will then lead to this page.": (
        "« %(title)s » est un ancien titre de la page « %(page)s », et les liens vers ce "
        "titre y mènent. Pour l’utiliser malgré tout, cochez « Reprendre ce titre » : les "
        "liens vers « %(title)s » et son ancienne adresse mèneront alors à cette page."
    ),
    "This page is waiting for its first review: it can be renamed once a moderator has "
    "published it.": (
        "Cette page attend sa première relecture : elle pourra être renommée une fois "
        "publiée par un modérateur."
    ),
    "A moderator locked this page: only moderators can rename it now.": (
        "Un modérateur a verrouillé cette page : seuls les modérateurs peuvent la renommer "
        "désormais."
    ),
    "Renaming changes a page's address and what links to it say, so it is for the members "
    "the group trusts and its moderators. A member is trusted after %(days)d days and "
    "%(contributions)d accepted contributions, or %(approvals)d approved by a moderator. "
    "Until then, ask a moderator to rename the page.": (
        "Renommer une page change son adresse et ce que disent les liens vers elle : c’est "
        "réservé aux membres en qui le groupe a confiance et à ses modérateurs. Un membre "
        "gagne cette confiance après %(days)d jours et %(contributions)d contributions "
        "acceptées, ou %(approvals)d approuvées par un modérateur. D’ici là, demandez à un "
        "modérateur de renommer la page."
    ),
    "This is already the title of the page.": "C’est déjà le titre de la page.",
    "Another page of this group already has this title (titles ignore capitals). Choose "
    "another title.": (
        "Une autre page de ce groupe porte déjà ce titre (les titres ne tiennent pas compte "
        "des majuscules). Choisissez un autre titre."
    ),
    "renamed “%(old)s” to “%(new)s”": "a renommé « %(old)s » en « %(new)s »",
    "(by its former title “%(former)s”)": "(par son ancien titre « %(former)s »)",
    "Links written with a former title, and the page’s former addresses, lead here.": (
        "Les liens écrits avec un ancien titre, et les anciennes adresses de la page, mènent ici."
    ),
    "Renaming %(title)s": "Renommer %(title)s",
    "Rename “%(title)s”": "Renommer « %(title)s »",
    "The page’s address follows its new title. Its former address and links written with "
    "its former title keep leading to it, and its history keeps the rename.": (
        "L’adresse de la page suit son nouveau titre. Son ancienne adresse et les liens "
        "écrits avec son ancien titre continuent d’y mener, et son historique garde trace "
        "du changement de nom."
    ),
    "Back to the page": "Retour à la page",
    "Renamed. Links to “%(title)s” and its former address lead to this page now.": (
        "Page renommée. Les liens vers « %(title)s » et son ancienne adresse mènent désormais ici."
    ),
    # --- Emails about watched pages ----------------------------------------------------------
    "Wiki: “%(title)s”, %(counter)s change": [
        "Wiki : « %(title)s », %(counter)s modification",
        "Wiki : « %(title)s », %(counter)s modifications",
    ],
    "Wiki: “%(old)s” renamed to “%(new)s”": "Wiki : « %(old)s » renommée en « %(new)s »",
    "Wiki: “%(title)s” changed by %(name)s": "Wiki : « %(title)s » modifiée par %(name)s",
    "Wiki: “%(title)s” changed": "Wiki : « %(title)s » modifiée",
    "The wiki page “%(page_title)s” in %(group_name)s has a new change:": [
        "La page de wiki « %(page_title)s » de %(group_name)s a une nouvelle modification :",
        "La page de wiki « %(page_title)s » de %(group_name)s a %(counter)s nouvelles "
        "modifications :",
    ],
    "%(counter)s earlier change is in the history.": [
        "%(counter)s modification plus ancienne est dans l’historique.",
        "%(counter)s modifications plus anciennes sont dans l’historique.",
    ],
    "(%(counter)s earlier change is in the history: %(history_url)s)": [
        "(%(counter)s modification plus ancienne est dans l’historique : %(history_url)s)",
        "(%(counter)s modifications plus anciennes sont dans l’historique : %(history_url)s)",
    ],
    "See the changes": "Voir les modifications",
    "See the changes:": "Voir les modifications :",
    "Read the page": "Lire la page",
    "Read the page:": "Lire la page :",
    "Stop watching this page (no need to log in)": (
        "Ne plus suivre cette page (sans avoir à vous connecter)"
    ),
    "Stop watching this page (no need to log in):": (
        "Ne plus suivre cette page (sans avoir à vous connecter) :"
    ),
    "You get this email because you watch this page in %(group_name)s.": (
        "Vous recevez ce courriel parce que vous suivez cette page dans %(group_name)s."
    ),
    "You get this email because you watch this page in %(group_name)s. Stop watching it "
    "(no need to log in): %(unwatch_url)s": (
        "Vous recevez ce courriel parce que vous suivez cette page dans %(group_name)s. Ne "
        "plus la suivre (sans avoir à vous connecter) : %(unwatch_url)s"
    ),
    "Choose what you get by email: %(delivery_url)s": (
        "Choisir ce que vous recevez par courriel : %(delivery_url)s"
    ),
    # Digests
    "%(counter)s watched wiki page changed": [
        "%(counter)s page de wiki suivie modifiée",
        "%(counter)s pages de wiki suivies modifiées",
    ],
    "And %(counter)s more watched wiki page changed, on the site.": [
        "Et %(counter)s autre page de wiki suivie modifiée, sur le site.",
        "Et %(counter)s autres pages de wiki suivies modifiées, sur le site.",
    ],
    "And %(counter)s more watched wiki page changed, on the site: %(group_url)s": [
        "Et %(counter)s autre page de wiki suivie modifiée, sur le site : %(group_url)s",
        "Et %(counter)s autres pages de wiki suivies modifiées, sur le site : %(group_url)s",
    ],
    "Wiki:": "Wiki :",
    "%(counter)s change": ["%(counter)s modification", "%(counter)s modifications"],
    # Stopping from the link in an email
    "Stop watching a wiki page": "Ne plus suivre une page de wiki",
    "Stop watching “%(title)s”?": "Ne plus suivre « %(title)s » ?",
    "Stop watching this wiki page?": "Ne plus suivre cette page de wiki ?",
    "%(email)s will get no more email about this page of the wiki of %(name)s. Other "
    "emails from the group do not change.": (
        "%(email)s ne recevra plus de courriel sur cette page du wiki de %(name)s. Les "
        "autres courriels du groupe ne changent pas."
    ),
    "Or choose what you get by email from the group": (
        "Ou choisir ce que vous recevez par courriel du groupe"
    ),
    "Choose what you get by email from the group": (
        "Choisir ce que vous recevez par courriel du groupe"
    ),
    "You no longer watch this page": "Vous ne suivez plus cette page",
    "%(email)s will get no more email about “%(title)s”.": (
        "%(email)s ne recevra plus de courriel sur « %(title)s »."
    ),
    "%(email)s will get no more email about this page.": (
        "%(email)s ne recevra plus de courriel sur cette page."
    ),
    "Go to the page": "Aller à la page",
    "Its Watch button starts watching it again.": (
        "Son bouton « Suivre » permet de la suivre à nouveau."
    ),
}

# msgid_plural of each plural msgid above, as gettext sees it.
PLURALS = {
    "Wiki: “%(title)s”, %(counter)s change": "Wiki: “%(title)s”, %(counter)s changes",
    "The wiki page “%(page_title)s” in %(group_name)s has a new change:": (
        "The wiki page “%(page_title)s” in %(group_name)s has %(counter)s new changes:"
    ),
    "%(counter)s earlier change is in the history.": (
        "%(counter)s earlier changes are in the history."
    ),
    "(%(counter)s earlier change is in the history: %(history_url)s)": (
        "(%(counter)s earlier changes are in the history: %(history_url)s)"
    ),
    "%(counter)s watched wiki page changed": "%(counter)s watched wiki pages changed",
    "And %(counter)s more watched wiki page changed, on the site.": (
        "And %(counter)s more watched wiki pages changed, on the site."
    ),
    "And %(counter)s more watched wiki page changed, on the site: %(group_url)s": (
        "And %(counter)s more watched wiki pages changed, on the site: %(group_url)s"
    ),
    "%(counter)s change": "%(counter)s changes",
}
