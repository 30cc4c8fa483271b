from django.db import models
from django.utils.translation import gettext_lazy as _

# Translations on demand (goingsolo.core.translation) ------------------------------------


class Translation(models.Model):
    """A machine translation, kept so each text goes to the service once per language.

    Rows are keyed by a hash of the source, not by the content they translate: any feature
    can use them, an edited text simply gets a new row, and old rows can be deleted at any
    time (they will be asked again).
    """

    # sha256 of the source language, format and text: see translation_source_hash().
    source_hash = models.CharField(max_length=64)
    target_language = models.CharField(max_length=10)
    translated_text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["source_hash", "target_language"], name="core_translation_unique"
            )
        ]

    def __str__(self):
        return f"{self.source_hash[:12]} → {self.target_language}"
