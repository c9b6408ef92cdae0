from .roles import role_of


def portal_role(request) -> dict:
    """The signed-in user's role for the header (personal area, administration, sign out)."""
    return {"portal_role": role_of(getattr(request, "user", None))}
