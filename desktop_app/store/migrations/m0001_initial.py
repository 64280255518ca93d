"""Schema version 1: the ledger as first released."""

from __future__ import annotations

import sqlite3

DESCRIPTION = "initial schema: regions, households, persons, categories, policy, enrollments, payments, audit"

STATEMENTS = (
    """CREATE TABLE setting (
        key VARCHAR(255) NOT NULL PRIMARY KEY,
        value TEXT NOT NULL)""",
    """CREATE TABLE region (
        id INTEGER NOT NULL PRIMARY KEY,
        code VARCHAR(255),
        name VARCHAR(255) NOT NULL,
        level VARCHAR(255) NOT NULL CHECK (level IN ('county', 'township', 'village')),
        parent_id INTEGER REFERENCES region (id) ON DELETE RESTRICT)""",
    "CREATE UNIQUE INDEX region_code ON region (code)",
    "CREATE UNIQUE INDEX region_parent_id_name ON region (parent_id, name)",
    """CREATE TABLE household (
        id INTEGER NOT NULL PRIMARY KEY,
        number VARCHAR(255) NOT NULL,
        village_id INTEGER NOT NULL REFERENCES region (id) ON DELETE RESTRICT,
        head_name VARCHAR(255) NOT NULL DEFAULT '',
        address VARCHAR(255) NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL)""",
    "CREATE UNIQUE INDEX household_number ON household (number)",
    "CREATE INDEX household_village_id ON household (village_id)",
    """CREATE TABLE person (
        id INTEGER NOT NULL PRIMARY KEY,
        id_number VARCHAR(255) NOT NULL CHECK (length(id_number) = 18),
        name VARCHAR(255) NOT NULL,
        sex VARCHAR(255) NOT NULL CHECK (sex IN ('M', 'F')),
        birth_date DATE NOT NULL,
        relation VARCHAR(255) NOT NULL DEFAULT '',
        phone VARCHAR(255) NOT NULL DEFAULT '',
        household_id INTEGER NOT NULL REFERENCES household (id) ON DELETE RESTRICT,
        note TEXT NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL)""",
    "CREATE UNIQUE INDEX person_id_number ON person (id_number)",
    "CREATE INDEX person_name ON person (name)",
    "CREATE INDEX person_household_id ON person (household_id)",
    """CREATE TABLE category_membership (
        id INTEGER NOT NULL PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        year INTEGER NOT NULL,
        category VARCHAR(255) NOT NULL,
        source VARCHAR(255) NOT NULL DEFAULT '',
        identified_on DATE,
        ended_on DATE)""",
    """CREATE UNIQUE INDEX category_membership_person_id_year_category
        ON category_membership (person_id, year, category)""",
    "CREATE INDEX category_membership_year_category ON category_membership (year, category)",
    """CREATE TABLE policy_year (
        year INTEGER NOT NULL PRIMARY KEY,
        standard_fen INTEGER NOT NULL CHECK (standard_fen >= 0),
        collection_start DATE NOT NULL,
        collection_end DATE NOT NULL,
        waiting_fixed_months INTEGER NOT NULL DEFAULT 3,
        waiting_months_per_break_year INTEGER NOT NULL DEFAULT 1,
        waiting_months_repaid_per_year INTEGER NOT NULL DEFAULT 1,
        waiting_floor_after_years INTEGER NOT NULL DEFAULT 4,
        waiting_floor_months INTEGER NOT NULL DEFAULT 6,
        waiting_exempt_categories TEXT NOT NULL DEFAULT '',
        source_text TEXT NOT NULL DEFAULT '',
        loaded_at DATETIME NOT NULL)""",
    """CREATE TABLE category_rule (
        id INTEGER NOT NULL PRIMARY KEY,
        year INTEGER NOT NULL REFERENCES policy_year (year) ON DELETE CASCADE,
        code VARCHAR(255) NOT NULL,
        name VARCHAR(255) NOT NULL,
        mode VARCHAR(255) NOT NULL CHECK (mode IN ('full', 'fixed', 'ratio')),
        amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
        percent INTEGER CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
        position INTEGER NOT NULL DEFAULT 0)""",
    "CREATE UNIQUE INDEX category_rule_year_code ON category_rule (year, code)",
    """CREATE TABLE enrollment (
        id INTEGER NOT NULL PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        year INTEGER NOT NULL,
        village_id INTEGER NOT NULL REFERENCES region (id) ON DELETE RESTRICT,
        status VARCHAR(255) NOT NULL DEFAULT 'unpaid' CHECK (status IN (
            'unpaid', 'paid', 'exempt', 'employee', 'elsewhere',
            'deceased', 'moved', 'military', 'other')),
        status_reason VARCHAR(255) NOT NULL DEFAULT '',
        applied_category VARCHAR(255),
        standard_fen INTEGER NOT NULL DEFAULT 0 CHECK (standard_fen >= 0),
        subsidy_fen INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
        due_fen INTEGER NOT NULL DEFAULT 0 CHECK (due_fen >= 0),
        paid_fen INTEGER NOT NULL DEFAULT 0,
        collection_mode VARCHAR(255) NOT NULL DEFAULT 'ordinary'
            CHECK (collection_mode IN ('exempt', 'difference', 'ordinary')),
        enrolled_on DATE,
        paid_on DATE,
        updated_at DATETIME NOT NULL)""",
    "CREATE UNIQUE INDEX enrollment_person_id_year ON enrollment (person_id, year)",
    "CREATE INDEX enrollment_year_village_id_status ON enrollment (year, village_id, status)",
    "CREATE INDEX enrollment_year_status ON enrollment (year, status)",
    """CREATE TABLE operator (
        id INTEGER NOT NULL PRIMARY KEY,
        name VARCHAR(255) NOT NULL,
        role VARCHAR(255) NOT NULL DEFAULT 'clerk' CHECK (role IN ('admin', 'clerk')),
        password_hash VARCHAR(255) NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1,
        created_at DATETIME NOT NULL)""",
    "CREATE UNIQUE INDEX operator_name ON operator (name)",
    """CREATE TABLE payment (
        id INTEGER NOT NULL PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE RESTRICT,
        year INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL,
        paid_on DATE NOT NULL,
        channel VARCHAR(255) NOT NULL DEFAULT '',
        voucher VARCHAR(255) NOT NULL DEFAULT '',
        operator_id INTEGER REFERENCES operator (id) ON DELETE SET NULL,
        reverses_id INTEGER REFERENCES payment (id) ON DELETE RESTRICT,
        reason VARCHAR(255) NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL)""",
    "CREATE INDEX payment_person_id_year ON payment (person_id, year)",
    "CREATE INDEX payment_reverses_id ON payment (reverses_id)",
    """CREATE TABLE audit_entry (
        id INTEGER NOT NULL PRIMARY KEY,
        at DATETIME NOT NULL,
        operator VARCHAR(255) NOT NULL DEFAULT '',
        action VARCHAR(255) NOT NULL,
        "table" VARCHAR(255) NOT NULL,
        record_id VARCHAR(255) NOT NULL DEFAULT '',
        old_value TEXT NOT NULL DEFAULT '',
        new_value TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX audit_entry_at ON audit_entry (at)",
    'CREATE INDEX audit_entry_table_record_id ON audit_entry ("table", record_id)',
)


def apply(conn: sqlite3.Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
