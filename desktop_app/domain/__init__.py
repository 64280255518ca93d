"""Rules with no Qt and no database: the words and numbers of DOMAIN.md as code.

Nothing in this package may import PySide6, peewee or any other layer of the app
(tests/domain/test_layers.py keeps it so).
"""
