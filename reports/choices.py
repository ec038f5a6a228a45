from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "month", _("Monthly")
    QUARTERLY = "quarter", _("Quarterly")


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic report")
    CAMPAIGN = "campaign", _("Campaign report")
    AD_HOC = "ad_hoc", _("Ad-hoc report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")


# The team can change its report only in these states; submitted ones wait for review, approved ones are locked.
EDITABLE_STATUSES = {ReportStatus.DRAFT, ReportStatus.RETURNED}
AWAITING_REVIEW = {ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED}
# Sent at least once: counts as received for completeness.
RECEIVED_STATUSES = AWAITING_REVIEW | {ReportStatus.RETURNED, ReportStatus.APPROVED}


class Action(models.TextChoices):
    CREATE = "create", _("Started")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned for correction")
    RESUBMIT = "resubmit", _("Resubmitted")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")


SENDING_ACTIONS = (Action.SUBMIT, Action.RESUBMIT)  # whoever did these sent the report: they never approve it


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")
    SUBMITTED = "submitted", _("Report waiting for review")
    RETURNED = "returned", _("Report returned")
    APPROVED = "approved", _("Report approved")
    REOPENED = "reopened", _("Report reopened")


class Operator(models.TextChoices):
    """How a data-quality rule compares its left side with its right side (DHIS2's validation rule operators)."""

    LESS = "lt", "<"
    AT_MOST = "lte", "≤"
    EQUAL = "eq", "="
    NOT_EQUAL = "ne", "≠"
    AT_LEAST = "gte", "≥"
    GREATER = "gt", ">"


class ProblemKind(models.TextChoices):
    """The kinds of data-quality problem found in a report (reports.quality)."""

    DENOMINATOR = "denominator", _("Larger than its denominator")
    STOCK_FALL = "stock_fall", _("Total to date fell")
    FLOW_SPIKE = "flow_spike", _("Far above the team's history")
    DEPARTMENT_RULE = "rule", _("Department's rule")
