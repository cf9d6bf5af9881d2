"""Helpers shared by the test suites of every app (URL discovery, response text, xlsx, snapshots).

Nothing here is imported by the running application.
"""
