from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching.

    A new string that merely looks like an old one ("message" and "Their message:") would
    otherwise arrive with the old translation and a fuzzy flag: a wrong guess to undo.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
