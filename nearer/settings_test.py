"""Settings for the test suite: the normal settings with NEARER_ENV=test and a fixed key ring."""

import os
import tempfile

os.environ["NEARER_ENV"] = "test"
os.environ.setdefault(
    "NEARER_ENCRYPTION_KEYS",
    # Test-only keys (32 bytes each, base64). Never used outside the suite.
    "t2:dGVzdC1rZXktdHdvLXRlc3Qta2V5LXR3by10ZXN0LWs=,t1:dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
)
os.environ.setdefault("NEARER_SQLITE_PATH", os.path.join(tempfile.gettempdir(), "nearer-test.sqlite3"))

from nearer.settings import *  # noqa: E402,F401,F403
