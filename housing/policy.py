from organizations.enums import Role

STAFF = {
    Role.ORG_ADMIN,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
    Role.COMMISSION_SECRETARY,
    Role.ARREARS_OFFICER,
    Role.READ_ONLY,
}

RULES = {
    # The household file and search: everyone working on households. Commission members see
    # candidates only through the commission sheet (allocations), never the household file.
    "view_household": STAFF,
    "edit_household": {
        Role.ORG_ADMIN,
        Role.MANAGER,
        Role.SOCIAL_WORKER,
        Role.COMMISSION_SECRETARY,
        Role.ARREARS_OFFICER,
    },
    # Disability details (GDPR art. 9): those who organise adapted housing and support.
    "view_disability": {
        Role.ORG_ADMIN,
        Role.MANAGER,
        Role.SOCIAL_WORKER,
        Role.COMMISSION_SECRETARY,
    },
    "view_stock": STAFF | {Role.COMMISSION_MEMBER},
    "edit_stock": {Role.ORG_ADMIN, Role.MANAGER, Role.COMMISSION_SECRETARY},
    "import_data": {Role.ORG_ADMIN, Role.MANAGER},
    "view_partners": STAFF,
    "edit_partners": {Role.ORG_ADMIN, Role.MANAGER, Role.SOCIAL_WORKER, Role.COMMISSION_SECRETARY},
    "merge_persons": {Role.ORG_ADMIN, Role.MANAGER, Role.SOCIAL_WORKER},
    # "Who saw this" per household (CNIL).
    "view_access_log": {Role.ORG_ADMIN, Role.MANAGER},
}
