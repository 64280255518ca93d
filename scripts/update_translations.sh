#!/usr/bin/env bash
# Refresh resources/translations/*.ts from the source strings of the Qt layer, then compile .qm.
# Translate new entries in the .ts (Qt Linguist: pyside6-linguist) before committing;
# tests/ui/test_translations.py fails on any unfinished or missing translation.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
TS=resources/translations/enrollment_ledger_zh_CN.ts
"$BIN/pyside6-lupdate" -no-obsolete -locations none $(find desktop_app/ui -name '*.py' | sort) -ts "$TS"
"$BIN/pyside6-lrelease" -silent "$TS" -qm "${TS%.ts}.qm"
