"""The peewee store: one SQLite file per ledger, its models and its numbered migrations.

Imports only peewee and ``desktop_app.domain``; never Qt, never the exchange or service layers.
"""
