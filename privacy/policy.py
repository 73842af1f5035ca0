from organizations.enums import Role

DPO = {Role.ORG_ADMIN, Role.MANAGER}

RULES = {
    # "Who saw this" per household and the organisation's access log (CNIL).
    "view_access_log": DPO,
    "export_access_log": DPO,
    # Retention: the dry-run report and the history of runs; legal holds.
    "view_retention": DPO,
    "run_retention": {Role.ORG_ADMIN},
    "manage_legal_holds": DPO | {Role.ARREARS_OFFICER},
    # Rights of the people concerned (GDPR art. 15 to 17).
    "subject_access": DPO,
    "manage_erasure_requests": DPO,
    "view_consents": DPO | {Role.SOCIAL_WORKER},
    "manage_consents": DPO | {Role.SOCIAL_WORKER},
}

# Partner access under mandate: the landlord's administrators grant and revoke; the partner's
# staff see the households granted to their organisation.
RULES.update(
    {
        "manage_partner_grants": {Role.ORG_ADMIN},
        "view_partner_grants": DPO,
        "view_granted_households": {
            Role.ORG_ADMIN,
            Role.MANAGER,
            Role.SOCIAL_WORKER,
            Role.READ_ONLY,
        },
        # The list of granted households as CSV (each household exported is logged in its
        # landlord's access log).
        "export_granted_households": {Role.ORG_ADMIN, Role.MANAGER},
    }
)
