from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import forms as core_forms
from .text import clean_name


class NameField(models.CharField):
    """A CharField for names and titles, stored cleaned by `clean_name` whoever saves it
    (a form, a service, the demo, the admin; not `QuerySet.update`). Its form field cleans
    the same way. Migrations see a plain CharField: the column is the same."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = clean_name(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": core_forms.NameField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class SearchDocument(models.Model):
    """One searchable piece of content (a thread, a post, an event, a wiki page…).

    Features index their content through `goingsolo.core.search`, never by writing rows
    here: each engine keeps data of its own beside the row (a `search_vector` column on
    PostgreSQL, the `core_searchdocument_fts` table on SQLite), both created by migration
    0002 and kept out of the model so that one model works on both databases.
    """

    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    # Plain ids, not foreign keys: core knows no feature, and callers filter visibility
    # by group ids they have already checked.
    group_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    author_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=10)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="core_searchdocument_kind_object_id_uniq"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


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


# Live updates between processes (goingsolo.core.live, docs/live-updates.md) --------------


class LiveEvent(models.Model):
    """A live update, kept a day, for the backends that carry them through the database.

    On SQLite, web processes read the new rows every 100 ms; on PostgreSQL the row beside
    the notification gives the event its id, answers reconnecting pages (`missed`) and
    holds events too big for a notification. Written and read by
    `goingsolo.core.live.database` only, in plain SQL: nothing else uses this model.
    """

    # Milliseconds on the database's clock when published, made strictly increasing (and
    # in commit order): the event id pages compare. Given explicitly, never generated.
    id = models.BigIntegerField(primary_key=True)
    channel = models.CharField(max_length=200)
    event = models.CharField(max_length=200)
    # JSON as published; text rather than a JSON column, which PostgreSQL would reorder.
    data = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["channel", "id"], name="core_liveevent_channel_id")]

    def __str__(self):
        return f"{self.id} {self.channel} {self.event}"


# The schedule the worker runs (goingsolo.core.scheduler) --------------------------------


class ScheduledRun(models.Model):
    """One run of a schedule entry for one slot (a period, or a day in one time zone).

    The row is the claim: whoever inserts it runs the entry, so with any number of workers
    each slot runs once. A failed run, or one whose worker stopped mid-way (still running
    after the scheduler's lease), is taken again at a later check.
    """

    class Status(models.TextChoices):
        RUNNING = "running", pgettext_lazy("scheduled run", "running")
        DONE = "done", pgettext_lazy("scheduled run", "done")
        FAILED = "failed", pgettext_lazy("scheduled run", "failed")

    entry = models.CharField(pgettext_lazy("scheduled run", "entry"), max_length=60)
    slot = models.CharField(pgettext_lazy("scheduled run", "slot"), max_length=100)
    status = models.CharField(
        pgettext_lazy("scheduled run", "status"),
        max_length=8,
        choices=Status.choices,
        default=Status.RUNNING,
    )
    worker = models.CharField(pgettext_lazy("scheduled run", "worker"), max_length=100, blank=True)
    attempts = models.PositiveIntegerField(pgettext_lazy("scheduled run", "attempts"), default=1)
    started_at = models.DateTimeField(pgettext_lazy("scheduled run", "started at"))
    finished_at = models.DateTimeField(
        pgettext_lazy("scheduled run", "finished at"), null=True, blank=True
    )
    # What the run did ("12 digests queued…") or, when it failed, its traceback.
    outcome = models.TextField(pgettext_lazy("scheduled run", "outcome"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["entry", "slot"], name="core_scheduledrun_once")
        ]

    def __str__(self):
        return f"{self.entry} {self.slot}: {self.status}"


# Workers of background jobs (goingsolo.core.jobs) ----------------------------------------


class WorkerLease(models.Model):
    """A running `goingsolo worker`: it renews `renewed_at` every few seconds while it
    lives. The jobs a worker was running when its lease expired (it was killed) go back to
    the queue; see goingsolo.core.jobs."""

    # django-tasks' worker id, which the jobs it claims record in `worker_ids`.
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    renewed_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"worker {self.worker_id} (pid {self.pid} on {self.host})"


# Pages kept for visitors (goingsolo.core.page_cache) -------------------------------------


class ContentGeneration(models.Model):
    """One row (id 1, made by the first write) whose value grows after each committed
    write that may change what a visitor sees: every process compares it before serving a
    page it kept. Written and read by `goingsolo.core.page_cache` only, in plain SQL."""

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.value)
