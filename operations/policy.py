"""Who may do what in leasing activity, relocation operations and collective actions.
The leasing officer is the role `commission_secretary`."""

from organizations.enums import Role

LEADS = {Role.ORG_ADMIN, Role.MANAGER}
LEASING = {Role.COMMISSION_SECRETARY}
STAFF = {
    Role.ORG_ADMIN,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
    Role.COMMISSION_SECRETARY,
    Role.ARREARS_OFFICER,
    Role.READ_ONLY,
}

RULES = {
    # Prospections and the register context.
    "view_leasing": LEADS | LEASING | {Role.READ_ONLY},
    "log_prospection": LEADS | LEASING,
    "manage_register": LEADS | LEASING,
    # Relocation operations (leasing officers position candidates, social workers accompany).
    "view_relocations": STAFF,
    "manage_relocations": LEADS | LEASING | {Role.SOCIAL_WORKER},
    # Collective actions and insertion clauses.
    "view_actions": STAFF,
    "manage_actions": LEADS | {Role.SOCIAL_WORKER},
}
