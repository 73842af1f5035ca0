from organizations.enums import Role

RULES = {
    "view_organization": set(Role.values),
    "manage_members": {Role.ORG_ADMIN},
    "view_members": {Role.ORG_ADMIN, Role.MANAGER},
    "manage_territories": {Role.ORG_ADMIN},
    "view_territories": set(Role.values),
    "manage_parameters": {Role.ORG_ADMIN, Role.MANAGER},
    "view_parameters": {Role.ORG_ADMIN, Role.MANAGER},
    # Per-record history of changes (audit trail) and "who saw this".
    "view_history": {Role.ORG_ADMIN, Role.MANAGER},
}
