"""参保台账 (Enrollment Ledger): subsidised enrollment in resident medical insurance.

Layers, each a sub-package, each importing only the ones listed before it:

- ``domain``   rules with no Qt and no database (ID numbers, statuses, policy, charges)
- ``store``    the peewee models of the SQLite ledger and its numbered migrations
- ``exchange`` reading and writing the Excel/CSV files counties send and ask for
- ``services`` use cases; the command line and the GUI both call these
- ``cli``      the ``enrollment-ledger`` command
- ``ui``       the Qt layer
"""

__version__ = "0.1.0"
APP_NAME = "enrollment-ledger"
