"""Use cases. The command line and the GUI both call these; nothing here imports Qt.

Services work on the ledger bound by :func:`desktop_app.store.db.open_database` and write each
operation in one transaction together with its audit entry.
"""
