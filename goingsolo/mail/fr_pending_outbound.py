"""French for the outbound mailing list's strings, until they are merged into
goingsolo/locale/fr/LC_MESSAGES/django.po (then this file goes)."""

T = {
    # Delivery choice (models, forms, pages).
    "What this group sends you by email": "Ce que ce groupe vous envoie par courriel",
    "Digests come once a day or once a week, with what is new since the last one, and only "
    "when there is something new. Announcements from the group's admins reach you whatever "
    "you choose, unless you choose nothing.": (
        "Les résumés arrivent une fois par jour ou par semaine, avec ce qui est nouveau depuis "
        "le précédent, et seulement s’il y a du nouveau. Les annonces des administrateurs du "
        "groupe vous parviennent quel que soit votre choix, sauf si vous choisissez de ne rien "
        "recevoir."
    ),
    "Every post (mailing-list mode)": "Chaque message (mode liste de diffusion)",
    "A daily digest": "Un résumé quotidien",
    "A weekly digest": "Un résumé hebdomadaire",
    "Only my threads and mentions": "Seulement mes discussions et mes mentions",
    ("email delivery", "Nothing"): "Rien",
    "email delivery": "envoi par courriel",
    "email delivery choice": "choix d’envoi par courriel",
    "email delivery choices": "choix d’envoi par courriel",
    ("email kind", "Post"): "Message",
    ("email kind", "Announcement"): "Annonce",
    ("email kind", "Daily digest"): "Résumé quotidien",
    ("email kind", "Weekly digest"): "Résumé hebdomadaire",
    ("email kind", "Notice"): "Avis",
    ("email status", "Queued"): "En attente",
    ("email status", "Sending"): "En cours d’envoi",
    ("email status", "Sent"): "Envoyé",
    ("email status", "Failed"): "Échec",
    ("email status", "Cancelled"): "Annulé",
    "outbound email": "courriel sortant",
    "outbound emails": "courriels sortants",
    "Choose one of the offered options.": "Choisissez l’une des options proposées.",
    "Saved: %(choice)s.": "Enregistré : %(choice)s.",
    # Post mails.
    "%(name)s via %(group)s": "%(name)s via %(group)s",
    "Announcement:": "Annonce :",
    "An announcement from the admins of %(group_name)s.": (
        "Une annonce des administrateurs de %(group_name)s."
    ),
    "%(author_name)s wrote:": "%(author_name)s a écrit :",
    "Attachments, on the site:": "Pièces jointes, sur le site :",
    "Reply to this email to answer in the thread.": (
        "Répondez à ce courriel pour répondre dans la discussion."
    ),
    "Reply to this email to answer in the thread, or read it on the site: %(post_url)s": (
        "Répondez à ce courriel pour répondre dans la discussion, ou lisez-la sur le site : "
        "%(post_url)s"
    ),
    "You get this email as a member of %(group_name)s.": (
        "Vous recevez ce courriel en tant que membre de %(group_name)s."
    ),
    "You get this email as a member of %(group_name)s. Choose what you get by email: "
    "%(delivery_url)s": (
        "Vous recevez ce courriel en tant que membre de %(group_name)s. Choisissez ce que vous "
        "recevez par courriel : %(delivery_url)s"
    ),
    "Choose what you get by email": "Choisir ce que vous recevez par courriel",
    "Unsubscribe": "Se désabonner",
    "Unsubscribe: %(unsubscribe_url)s": "Se désabonner : %(unsubscribe_url)s",
    "Read on the site": "Lire sur le site",
    # Digests.
    "Daily digest:": "Résumé du jour :",
    "Weekly digest:": "Résumé de la semaine :",
    "%(counter)s new post": ["%(counter)s nouveau message", "%(counter)s nouveaux messages"],
    "in %(counter)s thread": ["dans %(counter)s discussion", "dans %(counter)s discussions"],
    "%(counter)s more on the site": [
        "%(counter)s autre sur le site",
        "%(counter)s autres sur le site",
    ],
    "New in %(group_name)s since your last digest:": (
        "Du nouveau dans %(group_name)s depuis votre dernier résumé :"
    ),
    "New thread": "Nouvelle discussion",
    "And %(counter)s more thread with new posts, on the site: %(group_url)s": [
        "Et %(counter)s autre discussion avec du nouveau, sur le site : %(group_url)s",
        "Et %(counter)s autres discussions avec du nouveau, sur le site : %(group_url)s",
    ],
    "And %(counter)s more thread with new posts, on the site.": [
        "Et %(counter)s autre discussion avec du nouveau, sur le site.",
        "Et %(counter)s autres discussions avec du nouveau, sur le site.",
    ],
    ("link to the rest of a post", "more"): "la suite",
    "Reply by email": "Répondre par courriel",
    "Reply by email:": "Répondre par courriel :",
    "Read on the site:": "Lire sur le site :",
    "To reply in a thread, write to the address under it.": (
        "Pour répondre dans une discussion, écrivez à l’adresse indiquée sous celle-ci."
    ),
    "Everything is on the site.": "Tout est sur le site.",
    "To reply in a thread, write to the address under it. Everything is on the site: "
    "%(group_url)s": (
        "Pour répondre dans une discussion, écrivez à l’adresse indiquée sous celle-ci. Tout "
        "est sur le site : %(group_url)s"
    ),
    "You get this digest as a member of %(group_name)s.": (
        "Vous recevez ce résumé en tant que membre de %(group_name)s."
    ),
    "You get this digest as a member of %(group_name)s. Choose what you get by email: "
    "%(delivery_url)s": (
        "Vous recevez ce résumé en tant que membre de %(group_name)s. Choisissez ce que vous "
        "recevez par courriel : %(delivery_url)s"
    ),
    # Pages.
    "To post by email, write to %(list_address)s from your account's address. To reply, "
    "answer any email from the group.": (
        "Pour publier par courriel, écrivez à %(list_address)s depuis l’adresse de votre "
        "compte. Pour répondre, répondez à n’importe quel courriel du groupe."
    ),
    ("group page section", "Email"): "Courriel",
    "You get: %(choice)s.": "Vous recevez : %(choice)s.",
    ("email delivery", "Change"): "Modifier",
    "Email from %(name)s": "Courriels de %(name)s",
    "For %(email)s. This page came from a link in one of your emails; no need to log in.": (
        "Pour %(email)s. Cette page vient d’un lien dans l’un de vos courriels ; inutile de "
        "vous connecter."
    ),
    "Link not valid": "Lien non valide",
    "This link is incomplete or no longer works. Log in and open the group's Email page to "
    "choose what you get by email.": (
        "Ce lien est incomplet ou ne fonctionne plus. Connectez-vous et ouvrez la page Courriel "
        "du groupe pour choisir ce que vous recevez par courriel."
    ),
    "Stop emails from %(name)s?": "Ne plus recevoir de courriels de %(name)s ?",
    "%(email)s will get no more email from %(name)s: no posts, no digests, no announcements. "
    "You stay a member and can read everything on the site.": (
        "%(email)s ne recevra plus de courriel de %(name)s : ni messages, ni résumés, ni "
        "annonces. Vous restez membre et pouvez tout lire sur le site."
    ),
    "Or choose fewer emails instead": "Ou choisir plutôt de recevoir moins de courriels",
    "Unsubscribed": "Désabonnement effectué",
    "%(email)s will get no more email from %(name)s.": (
        "%(email)s ne recevra plus de courriel de %(name)s."
    ),
    "Changed your mind? Choose what you get by email": (
        "Vous avez changé d’avis ? Choisissez ce que vous recevez par courriel"
    ),
}
