"""The shared core: users, organisations, memberships, invitations and the audit log."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import audit_chain
from portal.tenancy import member_of
from portal.text import SingleLineCharField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with the e-mail address; belongs to organisations via memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    name = SingleLineCharField(_("name"), max_length=200, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @cached_property
    def is_project_team(self) -> bool:
        """Project-team members manage the programme and are the only ones who see all tenants."""
        return bool(self.project_team_roles)

    @cached_property
    def roles_by_organisation(self) -> dict[int, str]:
        """The user's role in each organisation they belong to, by the organisation's key."""
        return dict(self.memberships.values_list("organisation_id", "role"))

    @cached_property
    def project_team_roles(self) -> frozenset[str]:
        """The user's roles in the project team (none outside it)."""
        return frozenset(
            self.memberships.filter(organisation__kind=Organisation.Kind.PROJECT_TEAM).values_list(
                "role", flat=True
            )
        )


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(member_of(user, "pk"))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        JOINT_BODY = "joint_body", _("Joint body")
        # A contracting authority of its own (a municipal enterprise, a deelneming) that buys
        # for its own staff: identified by its OIN or KvK number.
        OTHER_AUTHORITY = "other_authority", _("Other contracting authority")
        SUPPLIER = "supplier", _("Supplier")
        PROJECT_TEAM = "project_team", _("Project team")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = SingleLineCharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Identifiers of a buying organisation that is not a municipality (a municipality is
    # identified by its CBS code in the register).
    oin = models.CharField(_("OIN"), max_length=20, blank=True)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    # A municipality that ended in a merger: the organisation of its successor, where its
    # people went (``municipalities.services.register.municipality_merge``).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_buyer(self) -> bool:
        return self.kind in (
            self.Kind.MUNICIPALITY,
            self.Kind.JOINT_BODY,
            self.Kind.OTHER_AUTHORITY,
        )


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user) -> MembershipQuerySet:
        """Members of an organisation see its people; the project team sees everyone."""
        if not user.is_authenticated:
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(member_of(user))


class Membership(models.Model):
    """A user's role in one organisation. A user may have several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    is_signatory = models.BooleanField(
        _("authorised signatory"),
        default=False,
        help_text=_("May sign the mandate on behalf of the organisation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.ADMIN, Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation. Only the token's hash is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    is_signatory = models.BooleanField(_("authorised signatory"), default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class AuditEvent(models.Model):
    """Append-only record of every write: who did what, to what, when.

    Append-only in the database too (triggers refuse UPDATE and DELETE) and chained by SHA-256
    hashes (``portal.audit_chain``). The links to the actor and the organisation are not
    database constraints and do nothing when the user or organisation goes: the chained
    ``actor_ref`` stays as the pseudonym of a removed user."""

    # Not a database constraint: removing a user leaves the event as it is (an UPDATE setting
    # NULL would be refused by the trigger and break the chain).
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor's public id: chained, and the only trace of a removed user.
    actor_ref = models.UUIDField(null=True, blank=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=80, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # SHA-256 of the event before (GENESIS for the first) and of this event's chained fields.
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            # Two events after the same one would fork the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_event_one_successor"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are immutable.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if self.actor_id is not None and self.actor_ref is None:
            self.actor_ref = self.actor.public_id
        self.data = audit_chain.normalised_data(self.data)
        # No savepoint: the lock and the link belong to the caller's transaction.
        with transaction.atomic(using=using, savepoint=False):
            audit_chain.lock_chain(using)
            last = AuditEvent.objects.using(using).order_by("-pk").values_list("hash").first()
            self.prev_hash = last[0] if last else audit_chain.GENESIS
            self.hash = audit_chain.event_hash(
                **{name: getattr(self, name) for name in audit_chain.CHAINED_FIELDS}
            )
            super().save(*args, **kwargs)


class OutboxMessage(models.Model):
    """Work that must leave the process after a change: written in the change's transaction, so
    that it is lost neither with a broker nor with a mail server that is down at that moment.
    ``portal.outbox`` sends it after the commit and again from a periodic sweep."""

    class Kind(models.TextChoices):
        MAIL = "mail", _("E-mail")
        TASK = "task", _("Task")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A task: its name, arguments and ``send_task`` options.
    task_name = models.CharField(max_length=200, blank=True)
    args = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)
    # A mail: one recipient each, as ``notifications`` always sent.
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was last handed to the broker (a task; for a mail, the task that delivers it).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # When the work left for good: a task handed to the broker, a mail accepted by the server.
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="outbox_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.task_name or self.recipient}"


class IdempotencyKey(models.Model):
    """One submission of a form that creates something: the key its hidden field carried. The
    same submission sent twice (a double click, a resent POST) finds its key taken and is
    answered with the first result instead of creating a second object."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    action = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="portal_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"


class ScanStatus(models.TextChoices):
    """The virus scan of an uploaded file (portal.virus_scan): an infected file or one the
    configured scanner could not check is never stored, so these are the only outcomes."""

    CLEAN = "clean", _("scanned, no virus found")
    NOT_SCANNED = "not_scanned", _("not scanned")


def scan_status_field() -> models.CharField:
    return models.CharField(
        max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )


class ScannedFile(models.Model):
    """The virus scan of the row's uploaded file; the scanner's version includes the version
    of its signature database."""

    scan_status = scan_status_field()
    scanned_at = models.DateTimeField(null=True, blank=True)
    scanner_version = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True
