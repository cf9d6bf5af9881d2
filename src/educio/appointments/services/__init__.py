"""Every change to nominations and appointments: one audited transaction each.

The lifecycle::

    nomination_start (draft, form variant copied from the unit's pack)
      -> nomination_save / _set_photo / _attach (autosaved while drafting or after a return)
      -> nomination_submit (eligibility checked, filler's confirmation kept, deadline enforced)
      -> review steps in ``workflow`` (school -> county -> city; 宜春: president -> office meeting -> party committee)
      -> appointment_issue (document number, term from the pack's term rules)
      -> renewal / change filing (a new nomination naming the appointment it continues or replaces)
      -> appointment_revoke (reason, document number, article)

Rules come from the pack version the nomination was started under; the article
each refusal cites is printed in its message.

Concurrency: issuing locks the unit's row, so two appointments to a one-CIO
unit cannot both be issued; revoking locks the appointment, so it is revoked
exactly once.

The package: ``_common`` (limits and shared rules), ``windows`` (推荐批次),
``nominations`` (the 推荐表 up to its review) and ``appointments`` (issuing
and revoking).
"""

from ._common import (
    EDITABLE_STATES,
    JUSTIFICATION_MAX_LENGTH,
    MAX_PHOTO_BYTES,
    MAX_UPLOAD_BYTES,
    REASON_MAX_LENGTH,
    add_years,
)
from .appointments import appointment_issue, appointment_revoke
from .nominations import (
    eligibility_snapshot,
    nomination_attach,
    nomination_detach,
    nomination_eligibility,
    nomination_reopen,
    nomination_save,
    nomination_set_photo,
    nomination_start,
    nomination_submit,
    nomination_withdraw,
)
from .windows import window_create

__all__ = [
    "EDITABLE_STATES",
    "JUSTIFICATION_MAX_LENGTH",
    "MAX_PHOTO_BYTES",
    "MAX_UPLOAD_BYTES",
    "REASON_MAX_LENGTH",
    "add_years",
    "appointment_issue",
    "appointment_revoke",
    "eligibility_snapshot",
    "nomination_attach",
    "nomination_detach",
    "nomination_eligibility",
    "nomination_reopen",
    "nomination_save",
    "nomination_set_photo",
    "nomination_start",
    "nomination_submit",
    "nomination_withdraw",
    "window_create",
]
