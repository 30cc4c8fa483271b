"""The mailing list's speed, both halves: digests rendered and queued for 10,000 members
(target: under 60 s) and inbound messages stored and processed (target: at least 50 per
second sustained), each on SQLite and PostgreSQL.

    .venv/bin/python bench/mail.py            # both, with their default sizes
    .venv/bin/python bench/mail_digests.py -h # options of each half
    .venv/bin/python bench/mail_inbound.py -h

Each half runs in its own interpreter, as it configures Django for itself.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    status = 0
    for script in ("mail_digests.py", "mail_inbound.py"):
        print(f"\n=== {script} ===", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script)])
    return status


if __name__ == "__main__":
    sys.exit(main())
