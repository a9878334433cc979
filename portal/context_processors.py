from django.conf import settings

from portal.active import active_membership, memberships_of


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_MODE}
    return {
        "demo_mode": settings.DEMO_MODE,
        "active_membership": active_membership(request),
        "user_memberships": memberships_of(request),
    }
