from organizations.enums import Role

MANAGERS = {Role.ORG_ADMIN, Role.MANAGER}

RULES = {
    # The reports page: past reports, who asked, progress.
    "view_reports": MANAGERS,
    # Asking for a report (and retrying a failed one).
    "request_report": MANAGERS,
    # Downloading a report's PDF (StoredDocument.access_action of every report).
    "download_report": MANAGERS,
    # Indicators: dashboard pages, the home panel, CSV exports and /api/v1/indicators/.
    "view_indicators": MANAGERS | {Role.READ_ONLY},
    # "Actualiser": compute a dashboard's indicators again now (in the background).
    "refresh_indicators": MANAGERS,
}
