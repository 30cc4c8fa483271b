"""French for the strings of translation on demand, to be merged into the catalogue."""

T = {
    "Translated from %(language)s": "Traduction automatique (%(language)s)",
    "show original": "voir l’original",
    "Try again": "Réessayer",
    ("verb", "Translate"): "Traduire",
}
