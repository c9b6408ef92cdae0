from .roles import home_url_for, role_of


def portal_role(request) -> dict:
    """The signed-in user's role for the header (personal area, administration, sign out), and where
    their own area is (`roles.home_url_for`)."""
    user = getattr(request, "user", None)
    role = role_of(user)
    return {"portal_role": role, "portal_home_url": home_url_for(user) if role != "anonymous" else ""}
