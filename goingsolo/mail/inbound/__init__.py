"""Inbound mail: the listener, parsing and trimming, who sent it, and what it becomes
(threads, replies, confirmations, refusals, bounces). docs/mail-inbound.md tells it."""
