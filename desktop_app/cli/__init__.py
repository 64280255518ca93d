"""The ``enrollment-ledger`` command (also ``python -m desktop_app``)."""
