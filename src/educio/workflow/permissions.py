"""Permission codes of the review pages and services.

``workflow.review`` (decide review steps, see the inbox) is meant to live in
``accounts.roles.Perm`` as ``WORKFLOW_REVIEW``. Until it is added there,
``dashboard.view`` stands in: every business role may decide a step its role
is named for, while the security and audit administrators (MLPS 2.0
separation of duties) never can. When ``Perm`` gains the member this name
follows automatically.

Deciding a step also needs the step's role held exactly at the step's acting
organisation (see ``resolution``); the permission alone decides nothing.
"""

from __future__ import annotations

from educio.accounts.roles import Perm

REVIEW_PERM: str = str(getattr(Perm, "WORKFLOW_REVIEW", Perm.DASHBOARD_VIEW))
# Seeing a process: a role whose org.view scope covers the submitting unit (or being one of its reviewers).
VIEW_PERM: str = str(Perm.ORG_VIEW)
# Starting, submitting and withdrawing: a role covering the submitting unit; the subject module
# (nominations, projects ...) checks its own, narrower permission before it calls the engine.
SUBMIT_PERM: str = str(Perm.ORG_VIEW)
