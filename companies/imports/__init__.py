"""Imports from Excel and CSV: one reader for every import, the parsed rows kept in an ImportJob
between preview and confirmation, and a dry run inside a rolled-back transaction as the preview.

Each app declares its imports (an Importer: columns and how one row is written through the app's
services) at its own layer: companies (organizations), missions (delegation, B2B schedule),
agreements (cooperation projects, implementation plan).
"""
