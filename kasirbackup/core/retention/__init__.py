"""Which backups to keep (``policy``: restic's keep rules plus our own two: the newest
verified snapshot, and before-restore snapshots for 30 days) and removing the rest with a
crash-safe garbage collection (``prune``). Never removes a snapshot the policy keeps, and
never deletes a pack before the new index that replaces it is stored.
"""
