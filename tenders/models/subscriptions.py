"""E-mail subscriptions to a published tender: double opt-in, one-click unsubscribe.

Only hashes of the tokens are stored. The confirmation token is random and travels in one
mail; the unsubscribe token is derived from the subscription with the project's secret key
(an HMAC), so every later mail can carry the same link without the raw token being stored."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.models import hash_token
from tenders.models.tender import Tender

UNSUBSCRIBE_SALT = "tenders.subscription.unsubscribe"


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: the people who receive the tender's news."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One e-mail address following one tender."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("e-mail address"))
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    unsubscribe_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The last mail of the subscribe flow (confirmation or "already subscribed"): at most one
    # an hour, however often the address is entered.
    last_requested_mail_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["tender", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "email"], name="subscription_unique_email"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="subscription_email_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.email}"

    def save(self, *args, **kwargs):
        if not self.unsubscribe_token_hash:
            self.unsubscribe_token_hash = hash_token(self.unsubscribe_token)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def is_confirmable(self) -> bool:
        """A confirmation link was mailed, not used, and is still valid."""
        sent = self.last_requested_mail_at
        valid = timedelta(days=settings.SUBSCRIPTION_CONFIRM_VALID_DAYS)
        return (
            bool(self.confirm_token_hash)
            and not self.is_active
            and sent is not None
            and timezone.now() - sent <= valid
        )

    @staticmethod
    def unsubscribe_token_for(public_id: uuid.UUID) -> str:
        return salted_hmac(UNSUBSCRIBE_SALT, str(public_id), algorithm="sha256").hexdigest()

    @property
    def unsubscribe_token(self) -> str:
        return self.unsubscribe_token_for(self.public_id)
