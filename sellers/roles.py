"""The platform's official roles, defined once: chamber staff, label inspectors, lead inspectors.

They live in ``sellers`` (the bottom of the dependency order) so that the membership rules can refuse
an official account without importing the apps above; ``catalog`` gives these groups their
permissions.
"""

CHAMBER_STAFF_GROUP = "Chamber staff"
INSPECTORS_GROUP = "Label inspectors"
LEAD_INSPECTORS_GROUP = "Lead inspectors"
OFFICIAL_GROUPS = (CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP)


def is_platform_official(user) -> bool:
    """Whether the account works for the chamber or its label inspectorate (or administers the
    platform): such an account never belongs to a seller, which would compromise its independence."""
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=OFFICIAL_GROUPS).exists()
