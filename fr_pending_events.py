"""French for the strings added with cancelling, reinstating, deleting and editing events,
waiting to be merged into goingsolo/locale/fr/LC_MESSAGES/django.po.

Keys are the msgids exactly as gettext sees them (blocktranslate: %(name)s placeholders,
trimmed); ("context", "msgid") for strings with a context; a plural string maps its
singular msgid to [French singular, French plural].
"""

T = {
    # Model and forms
    "message to the people registered": "message aux personnes inscrites",
    "Message to the people registered (optional)": "Message aux personnes inscrites (facultatif)",
    "Sent with the news by email, and posted in the event's announcement discussion.": (
        "Envoyé avec la nouvelle par e-mail, et publié dans la discussion d'annonce de l'événement."
    ),
    # Services: errors
    "This event was deleted.": "Cet événement a été supprimé.",
    "A message has at most %(limit)d characters.": (
        "Un message compte au plus %(limit)d caractères."
    ),
    "Only the event's organisers can cancel it.": (
        "Seuls les organisateurs de l'événement peuvent l'annuler."
    ),
    "This event is already cancelled.": "Cet événement est déjà annulé.",
    "This event is over: it can no longer be cancelled.": (
        "Cet événement est terminé : il ne peut plus être annulé."
    ),
    "Only the event's organisers can reinstate it.": (
        "Seuls les organisateurs de l'événement peuvent le rétablir."
    ),
    "This event is not cancelled.": "Cet événement n'est pas annulé.",
    "This event has started: it can no longer be reinstated.": (
        "Cet événement a commencé : il ne peut plus être rétabli."
    ),
    "Only the event's organisers can delete it.": (
        "Seuls les organisateurs de l'événement peuvent le supprimer."
    ),
    "Other people are registered for this event: only the group's admins can delete it. You can cancel it.": (
        "D'autres personnes sont inscrites à cet événement : seuls les admins du groupe "
        "peuvent le supprimer. Vous pouvez l'annuler."
    ),
    "This event was already deleted.": "Cet événement a déjà été supprimé.",
    "This event is cancelled: registration is closed.": (
        "Cet événement est annulé : les inscriptions sont closes."
    ),
    # Services: replies in the announcement thread
    "The event: %(url)s": "L'événement : %(url)s",
    "New title: %(title)s": "Nouveau titre : %(title)s",
    "New time: %(start)s – %(end)s (%(zone)s)": "Nouvel horaire : %(start)s – %(end)s (%(zone)s)",
    "New venue: %(place)s": "Nouveau lieu : %(place)s",
    "The event is now online (the link is given to registered people).": (
        "L'événement a désormais lieu en ligne (le lien est donné aux personnes inscrites)."
    ),
    "The venue is to be announced.": "Le lieu sera annoncé plus tard.",
    "New online link: people with a seat find it on the event page.": (
        "Nouveau lien en ligne : les personnes qui ont une place le trouvent sur la page de "
        "l'événement."
    ),
    "This event is cancelled.": "Cet événement est annulé.",
    "This event is back on: it is no longer cancelled.": (
        "Cet événement est rétabli : il n'est plus annulé."
    ),
    "This event is cancelled and removed from the group's events.": (
        "Cet événement est annulé et retiré des événements du groupe."
    ),
    "This event is removed from the group's events.": (
        "Cet événement est retiré des événements du groupe."
    ),
    "This discussion stays.": "Cette discussion reste.",
    # Views
    "The event is cancelled. Everyone registered is told by email.": (
        "L'événement est annulé. Toutes les personnes inscrites sont prévenues par e-mail."
    ),
    "The event is back on. Everyone registered is told by email.": (
        "L'événement est rétabli. Toutes les personnes inscrites sont prévenues par e-mail."
    ),
    "The event is deleted.": "L'événement est supprimé.",
    # Pages
    ("events", "Cancelled"): "Annulé",
    ("events", "Deleted"): "Supprimé",
    "This event was deleted by its organisers: there is nothing left to cancel.": (
        "Cet événement a été supprimé par ses organisateurs : il n'y a plus rien à annuler."
    ),
    "This event is cancelled. Your registration is kept in case it is reinstated.": (
        "Cet événement est annulé. Votre inscription est gardée au cas où il serait rétabli."
    ),
    "Cancel the event": "Annuler l'événement",
    "The %(counter)s person registered (going, waiting or interested) is told by email, in their language, with a calendar file that marks it cancelled.": [
        "La personne inscrite (avec une place, en liste d'attente ou intéressée) est "
        "prévenue par e-mail, dans sa langue, avec un fichier d'agenda qui le marque annulé.",
        "Les %(counter)s personnes inscrites (avec une place, en liste d'attente ou "
        "intéressées) sont prévenues par e-mail, chacune dans sa langue, avec un fichier "
        "d'agenda qui le marque annulé.",
    ],
    "The event stays visible, marked as cancelled, and closed to registration. The announcement discussion gets a reply saying it is cancelled, with your message. Registrations are kept: until the event starts, you can reinstate it.": (
        "L'événement reste visible, marqué comme annulé, et fermé aux inscriptions. La "
        "discussion d'annonce reçoit une réponse qui dit qu'il est annulé, avec votre "
        "message. Les inscriptions sont gardées : jusqu'au début de l'événement, vous "
        "pouvez le rétablir."
    ),
    "Yes, cancel the event": "Oui, annuler l'événement",
    "Back to the event": "Retour à l'événement",
    "Delete the event": "Supprimer l'événement",
    "The event leaves the group's events, the search and the calendars. Its announcement discussion stays, with a reply saying the event was deleted.": (
        "L'événement disparaît des événements du groupe, de la recherche et des agendas. "
        "Sa discussion d'annonce reste, avec une réponse qui dit que l'événement a été "
        "supprimé."
    ),
    "It has not taken place: the %(counter)s person registered is told by email that it is cancelled.": [
        "Il n'a pas encore eu lieu : la personne inscrite est prévenue par e-mail qu'il est "
        "annulé.",
        "Il n'a pas encore eu lieu : les %(counter)s personnes inscrites sont prévenues par "
        "e-mail qu'il est annulé.",
    ],
    "To call it off and keep its page, cancel it instead.": (
        "Pour l'annuler en gardant sa page, annulez-le plutôt."
    ),
    "Yes, delete the event": "Oui, supprimer l'événement",
    "This event is cancelled": "Cet événement est annulé",
    "Cancelled on %(date)s by %(name)s.": "Annulé le %(date)s par %(name)s.",
    "Cancelled on %(date)s.": "Annulé le %(date)s.",
    "Your registration is kept in case the event is reinstated.": (
        "Votre inscription est gardée au cas où l'événement serait rétabli."
    ),
    "Reinstate the event": "Rétablir l'événement",
    "Everyone registered keeps their place and is told by email that the event is back on.": (
        "Chaque personne inscrite garde sa place et est prévenue par e-mail que l'événement "
        "est rétabli."
    ),
    "People registered are emailed when the time or the venue changes, and the announcement discussion gets a reply saying what changed.": (
        "Les personnes inscrites sont prévenues par e-mail quand l'horaire ou le lieu "
        "change, et la discussion d'annonce reçoit une réponse qui dit ce qui a changé."
    ),
    # Emails: cancelled
    "Cancelled: %(title)s": "Annulé : %(title)s",
    "%(title)s (%(group_name)s) is cancelled.": "%(title)s (%(group_name)s) est annulé.",
    "A word from %(name)s, who organises it:": "Un mot de %(name)s, qui l'organise :",
    "A word from the organisers:": "Un mot des organisateurs :",
    "The attached calendar file (event.ics) marks it cancelled in your calendar.": (
        "Le fichier d'agenda joint (event.ics) le marque annulé dans votre agenda."
    ),
    "The event is also removed from the group's events.": (
        "L'événement est aussi retiré des événements du groupe."
    ),
    # Emails: changed
    "Changed: %(title)s": "Modifié : %(title)s",
    "%(title)s (%(group_name)s) has a new time and a new venue.": (
        "%(title)s (%(group_name)s) change d'horaire et de lieu."
    ),
    "%(title)s (%(group_name)s) has a new time.": "%(title)s (%(group_name)s) change d'horaire.",
    "%(title)s (%(group_name)s) has a new venue.": "%(title)s (%(group_name)s) change de lieu.",
    "%(title)s (%(group_name)s) has a new online link.": (
        "%(title)s (%(group_name)s) a un nouveau lien en ligne."
    ),
    ("event change", "Before:"): "Avant :",
    ("event change", "Now:"): "Désormais :",
    "The attached calendar file (event.ics) updates the event in your calendar.": (
        "Le fichier d'agenda joint (event.ics) met l'événement à jour dans votre agenda."
    ),
    # Emails: reinstated
    "Back on: %(title)s": "Rétabli : %(title)s",
    "Good news: %(title)s (%(group_name)s) is back on. It is no longer cancelled.": (
        "Bonne nouvelle : %(title)s (%(group_name)s) est rétabli. Il n'est plus annulé."
    ),
    "You still have a seat.": "Vous avez toujours une place.",
    "You are still on the waiting list (number %(position)s).": (
        "Vous êtes toujours en liste d'attente (numéro %(position)s)."
    ),
    "You are still marked as interested (no seat).": (
        "Vous êtes toujours noté·e comme intéressé·e (sans place)."
    ),
}
