from organizations.enums import Role

SECRETARIAT = {Role.ORG_ADMIN, Role.MANAGER, Role.COMMISSION_SECRETARY}
STAFF_READERS = SECRETARIAT | {Role.SOCIAL_WORKER, Role.READ_ONLY}

RULES = {
    # Demands: the staff who register and follow them.
    "view_applications": STAFF_READERS,
    "edit_applications": SECRETARIAT | {Role.SOCIAL_WORKER},
    # Commissions, sessions, decisions, offers: the secretariat; members read sessions and
    # candidates' commission sheets (never the household file nor social notes).
    "view_sessions": SECRETARIAT | {Role.COMMISSION_MEMBER, Role.READ_ONLY},
    "manage_sessions": SECRETARIAT,
    "manage_commissions": {Role.ORG_ADMIN, Role.MANAGER},
    "view_commission_sheet": SECRETARIAT | {Role.COMMISSION_MEMBER},
    "record_decisions": SECRETARIAT,
    "cast_vote": {Role.COMMISSION_MEMBER},
    "manage_offers": SECRETARIAT,
    "view_offers": SECRETARIAT | {Role.READ_ONLY},
    "view_occupancy_reviews": SECRETARIAT | {Role.COMMISSION_MEMBER},
    "manage_occupancy_reviews": SECRETARIAT,
    "import_applications": {Role.ORG_ADMIN, Role.MANAGER},
    # Documents: minutes, agendas and sheets to the commission; letters to the secretariat.
    "read_commission_documents": SECRETARIAT | {Role.COMMISSION_MEMBER},
    "read_letters": SECRETARIAT,
    "view_indicators": {Role.ORG_ADMIN, Role.MANAGER, Role.COMMISSION_SECRETARY, Role.READ_ONLY},
}
