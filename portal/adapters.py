from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

INVITATION_SESSION_KEY = "pending_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    """Someone who opened an invitation link before logging in or signing up comes back to it.

    The token stays in the session until the invitation is accepted or found invalid: sign-up,
    e-mail confirmation and login all pass through here."""

    def _invitation_url(self, request) -> str | None:
        token = request.session.get(INVITATION_SESSION_KEY)
        return reverse("portal:invitation-accept", args=[token]) if token else None

    def get_login_redirect_url(self, request):
        return self._invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._invitation_url(request) or super().get_signup_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails greet and sign with the portal's name and address, not with the
        host name the request happened to use (without django.contrib.sites that is all
        allauth knows)."""
        site = SimpleNamespace(name=settings.PORTAL_NAME, domain=settings.PORTAL_BASE_URL)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def render_mail(self, template_prefix, email, context, headers=None):
        """Account mails are signed with the portal's name and public address
        (``templates/account/email/base_message.txt``), never with the host of the request."""
        context = {
            **context,
            "portal_name": settings.PORTAL_NAME,
            "portal_url": settings.PORTAL_BASE_URL,
        }
        return super().render_mail(template_prefix, email, context, headers=headers)
