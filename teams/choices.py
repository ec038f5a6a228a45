from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class TeamRole(models.TextChoices):
    """A member's role in the team (Tổ trưởng, Tổ phó thường trực, Tổ phó, Thành viên, Cộng tác viên)."""

    LEADER = "leader", _("Leader")
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy")
    DEPUTY = "deputy", _("Deputy")
    MEMBER = "member", _("Member")
    COLLABORATOR = "collaborator", _("Collaborator")


DEPUTY_ROLES = (TeamRole.STANDING_DEPUTY, TeamRole.DEPUTY)  # the members a leader may name to fill in reports


class Affiliation(models.TextChoices):
    """Where a member comes from (Thành phần / Đơn vị công tác)."""

    YOUTH_UNION = "youth_union", _("Youth Union")
    WOMENS_UNION = "womens_union", _("Women's Union")
    FARMERS_UNION = "farmers_union", _("Farmers' Union")
    COMMUNE_POLICE = "commune_police", _("Commune police")
    IT_TEACHER = "it_teacher", _("IT teacher")
    TEACHER = "teacher", _("Teacher")
    HEALTH_WORKER = "health_worker", _("Health worker")
    TELECOM_POSTAL = "telecom_postal", _("Telecom or postal company")
    PARTY_CELL = "party_cell", _("Party cell")
    VILLAGE_HEAD = "village_head", _("Village head")
    COMMUNE_STAFF = "commune_staff", _("Commune staff")
    STUDENT = "student", _("Student")
    CITIZEN = "citizen", _("Citizen")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class RequestKind(models.TextChoices):
    JOIN = "join", _("Join")
    LEAVE = "leave", _("Leave")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class TrainingFormat(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    ONLINE = "online", _("Online")


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Team members")
    VILLAGES = "villages", _("Villages and population")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    READY = "ready", _("Checked: waiting for confirmation")
    INVALID = "invalid", _("Rejected: errors in the file")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
