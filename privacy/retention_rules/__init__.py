"""Interim retention rules for the apps being built (cases, allocations, arrears): they read
the models defensively (a missing model or field means no rule) until each app declares its
own in `<app>/retention.py`, which then wins for the same key."""
