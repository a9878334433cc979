from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

INVITATION_SESSION_KEY = "pending_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Someone who opened an invitation link before logging in or signing up comes back to it.
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        if token:
            return reverse("portal:invitation-accept", args=[token])
        return super().get_login_redirect_url(request)
