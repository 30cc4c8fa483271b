"""What events tells the apps above it, once the change has committed.

- `interest_check_reminder_due(check_id, user_ids)`: members who have not answered an
  interest check that closes soon; the mailing list (which knows who gets email) emails
  them (`events.emails.send_check_reminders`).
"""

from django.dispatch import Signal

interest_check_reminder_due = Signal()
