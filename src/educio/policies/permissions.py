"""Permission codes of the policy pages.

``policy.view`` (read packs and compliance), ``policy.manage`` (upload and
adopt packs) and ``policy.export`` (compliance export) are meant to live in
``accounts.roles.Perm``. Until they are added there, the equivalent
organisation permissions stand in: everyone who may see units may read the
rules that govern them, and whoever manages a unit may set its rules. When
``Perm`` gains the ``POLICY_*`` members these names follow automatically.
"""

from __future__ import annotations

from educio.accounts.roles import Perm

POLICY_VIEW: str = str(getattr(Perm, "POLICY_VIEW", Perm.ORG_VIEW))
POLICY_MANAGE: str = str(getattr(Perm, "POLICY_MANAGE", Perm.ORG_MANAGE))
POLICY_EXPORT: str = str(getattr(Perm, "POLICY_EXPORT", Perm.ORG_EXPORT))
