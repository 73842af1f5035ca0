from organizations.enums import Role

ARREARS_SERVICE = {Role.ORG_ADMIN, Role.MANAGER, Role.ARREARS_OFFICER}

RULES = {
    # Accounts, cases, procedure, plans, aid: the arrears service and its managers; read-only
    # members read them.
    "view_arrears": ARREARS_SERVICE | {Role.READ_ONLY},
    "manage_arrears": ARREARS_SERVICE,
    "import_statements": ARREARS_SERVICE,
    # The arrears section of the household file: also the social workers who share the file
    # (amounts, stage and plans only).
    "view_household_arrears": ARREARS_SERVICE | {Role.READ_ONLY, Role.SOCIAL_WORKER},
    # Yearly counting (report).
    "view_indicators": ARREARS_SERVICE | {Role.READ_ONLY},
}
