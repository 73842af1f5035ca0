from organizations.enums import Role

MANAGERS = {Role.ORG_ADMIN, Role.MANAGER}
SECRETARIAT = MANAGERS | {Role.COMMISSION_SECRETARY}

RULES = {
    # The dashboard and the agreements: managers, the secretariat, read-only auditors.
    "view_quotas": SECRETARIAT | {Role.READ_ONLY},
    # Targets and reservation agreements are entered by managers.
    "manage_quotas": MANAGERS,
    # Drill-down to the households counted (names, links to files): the secretariat.
    "view_counted_households": SECRETARIAT,
    # In the candidate assistant and on the commission sheet.
    "view_contributions": SECRETARIAT | {Role.COMMISSION_MEMBER},
    # The yearly review per réservataire (PDF, CSV).
    "reservation_review": SECRETARIAT,
}
