"""French for the strings of inbound mail, waiting to be merged into the catalogue.

Keys: msgid, (context, msgid), or a singular msgid whose value is [singular, plural].
"""

T = {
    # Admin
    "message as received": "message tel que reçu",
    "Process again (failed messages)": "Traiter à nouveau (messages en échec)",
    "%(count)d messages processed again.": "%(count)d messages traités à nouveau.",
    # Processing, moderation, settings
    "(no subject)": "(sans objet)",
    "Only the group's moderators can approve messages.": (
        "Seuls les modérateurs du groupe peuvent accepter des messages."
    ),
    "The author is no longer a member of the group.": "L’auteur n’est plus membre du groupe.",
    "Only the group's moderators can reject messages.": (
        "Seuls les modérateurs du groupe peuvent refuser des messages."
    ),
    "Only the group's admins can change its email settings.": (
        "Seuls les administrateurs du groupe peuvent modifier ses réglages e-mail."
    ),
    ("inbound message", "Received"): "Reçu",
    ("inbound message", "Processed"): "Traité",
    ("inbound message", "Held for approval"): "En attente de validation",
    ("inbound message", "Ignored"): "Ignoré",
    ("inbound message", "Rejected"): "Refusé",
    ("inbound message", "Failed"): "En échec",
    ("inbound message", "Unknown"): "Inconnu",
    ("inbound message", "New thread"): "Nouvelle discussion",
    ("inbound message", "Reply"): "Réponse",
    ("inbound message", "Bounce"): "Message non distribué",
    "hold new threads sent by email for approval": (
        "retenir pour validation les nouvelles discussions envoyées par e-mail"
    ),
    "A moderator approves each new thread started by email before it appears.": (
        "Un modérateur accepte chaque nouvelle discussion lancée par e-mail avant qu’elle "
        "n’apparaisse."
    ),
    "mailing list settings": "réglages de la liste de diffusion",
    ("bounce", "Permanent failure"): "Échec définitif",
    ("bounce", "Temporary failure"): "Échec temporaire",
    "bounce": "message non distribué",
    "bounces": "messages non distribués",
    "paused email delivery": "envoi d’e-mails suspendu",
    "paused email deliveries": "envois d’e-mails suspendus",
    "The message is posted.": "Le message est publié.",
    "The message is rejected; nothing was posted.": "Le message est refusé ; rien n’a été publié.",
    "The group's email settings are saved.": "Les réglages e-mail du groupe sont enregistrés.",
    "Email delivery is on again.": "Les e-mails vous sont de nouveau envoyés.",
    # The explanation email
    "Your message was not posted": "Votre message n’a pas été publié",
    "Your message “%(subject)s” to %(address)s was not posted.": (
        "Votre message « %(subject)s » à %(address)s n’a pas été publié."
    ),
    "Your message to %(address)s was not posted.": (
        "Votre message à %(address)s n’a pas été publié."
    ),
    "This is an automatic message: an answer to it is not read.": (
        "Ce message est automatique : une réponse à ce message ne serait pas lue."
    ),
    "%(sender)s is not the address of a member of %(SITE_NAME)s. Only members can write to a "
    "group by email, from the address of their account. To take part, create an account and "
    "join the group: %(signup_url)s": (
        "%(sender)s n’est pas l’adresse d’un membre de %(SITE_NAME)s. Seuls les membres "
        "peuvent écrire à un groupe par e-mail, depuis l’adresse de leur compte. Pour "
        "participer, créez un compte et rejoignez le groupe : %(signup_url)s"
    ),
    "%(sender)s is not confirmed yet. Confirm it with the link you received by email, or in "
    "your account’s email settings: %(email_settings_url)s": (
        "%(sender)s n’est pas encore confirmée. Confirmez-la avec le lien reçu par e-mail, ou "
        "dans les réglages e-mail de votre compte : %(email_settings_url)s"
    ),
    "You are not a member of %(group_name)s, so you cannot post in it. Ask to join it on the "
    "web: %(group_url)s": (
        "Vous n’êtes pas membre de %(group_name)s et ne pouvez donc pas y publier. Demandez à "
        "le rejoindre sur le site : %(group_url)s"
    ),
    "The reply address you wrote to is not valid: it may be incomplete or have been changed "
    "on the way. Reply to a recent email from the group, or answer on the web.": (
        "L’adresse de réponse utilisée n’est pas valable : elle est peut-être incomplète ou a "
        "été modifiée en chemin. Répondez à un e-mail récent du groupe, ou répondez sur le "
        "site."
    ),
    "The reply address you wrote to belongs to another member (their email may have been "
    "forwarded to you). Reply to an email you received yourself, or answer on the web: "
    "%(thread_url)s": (
        "L’adresse de réponse utilisée appartient à un autre membre (son e-mail vous a "
        "peut-être été transféré). Répondez à un e-mail que vous avez reçu vous-même, ou "
        "répondez sur le site : %(thread_url)s"
    ),
    "You have posted %(limit)s message by email in the last hour, the most allowed. Wait a "
    "little before writing again, or post on the web.": [
        "Vous avez publié %(limit)s message par e-mail dans l’heure, le maximum permis. "
        "Attendez un peu avant d’écrire à nouveau, ou publiez sur le site.",
        "Vous avez publié %(limit)s messages par e-mail dans l’heure, le maximum permis. "
        "Attendez un peu avant d’écrire à nouveau, ou publiez sur le site.",
    ],
    "Your message holds no text of its own: only quoted text, a signature, or nothing at all. "
    "Write your answer above the quoted message.": (
        "Votre message ne contient aucun texte de votre main : seulement une citation, une "
        "signature, ou rien du tout. Écrivez votre réponse au-dessus du message cité."
    ),
    "This group no longer exists.": "Ce groupe n’existe plus.",
    "Your answer to the event could not be recorded: %(error)s": (
        "Votre réponse à l’événement n’a pas pu être enregistrée : %(error)s"
    ),
    "It could not be posted: %(error)s": "Il n’a pas pu être publié : %(error)s",
    # Pages
    "Emails to you are paused": "Les e-mails qui vous sont destinés sont suspendus",
    "Messages sent to %(address)s kept coming back undelivered, so the site stopped emailing "
    "you. You still see everything here. Check that the address works (a full mailbox, a "
    "typo, a closed account), then turn emails back on.": (
        "Les messages envoyés à %(address)s revenaient sans avoir été distribués : le "
        "site a donc cessé de vous écrire. Vous voyez toujours tout ici. Vérifiez que "
        "l’adresse fonctionne (boîte pleine, faute de frappe, compte fermé), puis réactivez "
        "les e-mails."
    ),
    "Send me emails again": "M’envoyer de nouveau des e-mails",
    "Email: moderation and archive": "E-mail : modération et archive",
    "%(counter)s new thread sent by email waits for approval": [
        "%(counter)s nouvelle discussion envoyée par e-mail attend une validation",
        "%(counter)s nouvelles discussions envoyées par e-mail attendent une validation",
    ],
    "Download the archive (mbox)": "Télécharger l’archive (mbox)",
    "Held by email": "Retenus par e-mail",
    "New threads sent by email, waiting for approval": (
        "Nouvelles discussions envoyées par e-mail, en attente de validation"
    ),
    "received %(when)s ago": "reçu il y a %(when)s",
    ("a held message", "Approve"): "Accepter",
    ("a held message", "Reject"): "Refuser",
    "No message is waiting.": "Aucun message en attente.",
    "Email settings": "Réglages e-mail",
}
