"""``python -m desktop_app``: the same entry point as ``enrollment-ledger``."""

import sys

from desktop_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
