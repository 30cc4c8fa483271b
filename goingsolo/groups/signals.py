"""What happened to memberships, for the features above groups to react to (events,
moderation).

Unlike the signals of discussions and the wiki, `membership_ended` and
`join_request_decided` are sent INSIDE the
transaction that deletes the membership: what a member loses with it (their seats at the
group's events, the online links those seats show) goes in the same commit, so there is
no moment when someone who left still holds a seat. Receivers write through their own
services, in that transaction, and queue their emails on commit as those services do.
"""

from django.dispatch import Signal

# group: the Group; user: the member who left, was removed, or deleted their account.
membership_ended = Signal()
# join_request: a new pending JoinRequest. Sent on commit, unlike membership_ended: its
# receiver (the review queue's alerts) only tells the admins.
join_request_created = Signal()
# join_request: a JoinRequest just approved or refused (its status, decided_by and
# refusal_reason say how); by: the admin. Sent inside the transaction, as membership_ended:
# the moderation log writes the answer in the same commit, wherever it was given.
join_request_decided = Signal()
