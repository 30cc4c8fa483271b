"""Members whose email delivery is paused: nothing is sent to them, whatever they chose.

Bounce handling decides (goingsolo/mail/bounces.py: a member whose address keeps bouncing
is paused until they resume on the web); the outbound side only asks, once per batch.
"""


def paused_user_ids(user_ids):
    """The members among USER_IDS whose delivery is paused."""
    try:
        from .bounces import paused_user_ids as paused
    except ImportError:  # an instance without bounce handling pauses nobody
        return set()
    user_ids = list(user_ids)
    found = set()
    # Chunks keep each query under the databases' limits on parameters.
    for start in range(0, len(user_ids), 5000):
        found |= set(paused(user_ids[start : start + 5000]))
    return found
