"""Idempotency keys of the emails the mailing list queues: the same key queues one email
only, so a job that runs again adds nothing; delivery reads a wiki email's page back from
its key."""

WIKI_KEY_PREFIX = "wiki:"


def post_key(post_id, user_id):
    # The opening post of an announced thread shares this key with the announcement, so a
    # member gets that thread once, whichever of the two is queued first.
    return f"post:{post_id}:{user_id}"


def wiki_email_key(page_id, user_id, revision_id):
    """The idempotency key of an email about PAGE_ID to USER_ID that starts with
    REVISION_ID: "wiki:<page>:<member>:<revision>"."""
    return f"{wiki_key_prefix(page_id)}{user_id}:{revision_id}"


def wiki_key_prefix(page_id):
    """What the keys of every email about PAGE_ID start with."""
    return f"{WIKI_KEY_PREFIX}{page_id}:"


def page_id_of(idempotency_key):
    """The page an email is about, from its idempotency key; None for other emails."""
    if not idempotency_key.startswith(WIKI_KEY_PREFIX):
        return None
    try:
        return int(idempotency_key.split(":")[1])
    except (IndexError, ValueError):
        return None
