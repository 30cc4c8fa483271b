"""Outbound mail: the queue every email goes through, list mail composed and delivered,
digests, wiki change emails, members' delivery choices and pauses (docs/mailing-list.md)."""
