"""Every change to rectification orders and recognitions: one audited transaction each.

The lifecycle of an order::

    order_open_for_result (a published failing result) / order_open (a bureau, e.g. after an inspection)
      -> open: the unit uploads evidence (order_attach) and reports (order_submit_report)
      -> submitted: the bureau re-checks in the workflow inbox (chain from the pack, 焦作 rectification_recheck)
           approved -> order_close_passed  -> passed (销号)
           rejected -> order_fail          -> failed  + the pack's consequence
           returned / withdrawn -> order_reopen -> open again
      -> open past the deadline -> order_mark_overdue (manage.py check_rectifications) -> overdue + consequence
      -> open or submitted -> order_close (the bureau cancels it, e.g. the result was corrected) -> closed

The consequence (焦作 第四条(二): 整改不合格的取消首席信息官任命) is carried out
exactly once: every transition locks the order row and re-reads its status,
and ``consequence_applied_at`` is set in the same transaction as the
revocation. A revocation that cannot be done yet (no account may revoke) is
retried by the daily command until it is.
"""

from educio.rectifications.services._common import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, issuer_for, pack_cycle
from educio.rectifications.services.consequences import REVOKING_ROLES
from educio.rectifications.services.decisions import (
    order_apply_pending,
    order_close,
    order_close_passed,
    order_fail,
    order_mark_overdue,
    order_reopen,
    order_set_deadline,
    orders_cancel_for_result,
)
from educio.rectifications.services.orders import OrderTerms, order_open, order_open_for_result
from educio.rectifications.services.recognitions import recognition_create
from educio.rectifications.services.report import (
    EVIDENCE,
    MAX_EVIDENCE_FILES,
    RECHECK_LEVELS,
    order_attach,
    order_detach,
    order_submit_report,
)

__all__ = [
    "EVIDENCE",
    "MAX_EVIDENCE_FILES",
    "REASON_MAX_LENGTH",
    "RECHECK_LEVELS",
    "REVOKING_ROLES",
    "TEXT_MAX_LENGTH",
    "OrderTerms",
    "issuer_for",
    "order_apply_pending",
    "order_attach",
    "order_close",
    "order_close_passed",
    "order_detach",
    "order_fail",
    "order_mark_overdue",
    "order_open",
    "order_open_for_result",
    "order_reopen",
    "order_set_deadline",
    "order_submit_report",
    "orders_cancel_for_result",
    "pack_cycle",
    "recognition_create",
]
