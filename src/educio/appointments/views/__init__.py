"""Nomination and appointment pages: the 推荐表 (filled, autosaved, checked live), its review, appointments.

Views parse input, fetch through the scoped selectors (404 outside the
scope) and call a service; every rule lives in ``services``.

The package: ``_common`` (shared helpers), ``nominations`` (list, start,
detail, download, withdraw, reopen), ``nomination_form`` (the form being
filled), ``appointments`` (issue, list, detail, revoke, renew/change) and
``windows`` (推荐批次).
"""

from ._common import (
    DOCX_CONTENT_TYPE,
    SYNC_EXPORT_LIMIT,
    account,
    attachment_response,
    nominating_units,
    persons_of,
)
from .appointments import (
    AppointmentDetailView,
    AppointmentIssueView,
    AppointmentListView,
    AppointmentRevokeView,
    AppointmentSuccessionView,
)
from .nomination_form import (
    AttachmentDeleteView,
    AttachmentDownloadView,
    NominationAutosaveView,
    NominationEditView,
    NominationPhotoView,
    NominationSubmitView,
    NominationUploadView,
    attachment_get,
)
from .nominations import (
    NominationDetailView,
    NominationDocxView,
    NominationListView,
    NominationReopenView,
    NominationStartView,
    NominationWithdrawView,
)
from .windows import WindowListView

__all__ = [
    "DOCX_CONTENT_TYPE",
    "SYNC_EXPORT_LIMIT",
    "AppointmentDetailView",
    "AppointmentIssueView",
    "AppointmentListView",
    "AppointmentRevokeView",
    "AppointmentSuccessionView",
    "AttachmentDeleteView",
    "AttachmentDownloadView",
    "NominationAutosaveView",
    "NominationDetailView",
    "NominationDocxView",
    "NominationEditView",
    "NominationListView",
    "NominationPhotoView",
    "NominationReopenView",
    "NominationStartView",
    "NominationSubmitView",
    "NominationUploadView",
    "NominationWithdrawView",
    "WindowListView",
    "account",
    "attachment_get",
    "attachment_response",
    "nominating_units",
    "persons_of",
]
