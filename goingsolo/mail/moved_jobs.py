"""Jobs queued under the mail app's former module paths still run.

django-tasks stores a job by the dotted path of its task (`task_path`) and imports that
path when a worker runs it. When the mail app became its `inbound` and `outbound`
packages, its tasks moved; a job queued before an upgrade still names the old path. Each
old path below is served by the task that replaced it (`install`, run when the app is
ready, puts a module of that name in `sys.modules`).

Remove an entry once no job row names its path (nothing READY or RUNNING:
`DBTaskResult.objects.filter(task_path__startswith="goingsolo.mail.tasks_")`).
"""

import sys
import types

from .inbound import confirmations, refusals
from .inbound import tasks as inbound_tasks
from .outbound import delivery
from .outbound import tasks as outbound_tasks

MOVED = {
    "goingsolo.mail.tasks_inbound.process_inbound_message": (inbound_tasks.process_inbound_message),
    "goingsolo.mail.tasks_inbound.send_inbound_refusal": refusals.send_inbound_refusal,
    "goingsolo.mail.tasks_inbound.send_inbound_confirmation": (
        confirmations.send_inbound_confirmation
    ),
    "goingsolo.mail.tasks_outbound.queue_post_emails": outbound_tasks.queue_post_emails,
    "goingsolo.mail.tasks_outbound.queue_announcement": outbound_tasks.queue_announcement,
    "goingsolo.mail.tasks_outbound.queue_wiki_change_emails": (
        outbound_tasks.queue_wiki_change_emails
    ),
    "goingsolo.mail.tasks_outbound.deliver_outbound": delivery.deliver_outbound,
}


def install():
    """Makes every old path of MOVED importable (django.utils.module_loading.import_string)."""
    for old_path, moved_task in MOVED.items():
        module_name, name = old_path.rsplit(".", 1)
        module = sys.modules.get(module_name)
        if module is None:
            module = sys.modules[module_name] = types.ModuleType(module_name)
        setattr(module, name, moved_task)
