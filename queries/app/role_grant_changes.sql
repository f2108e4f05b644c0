-- The audit of role changes, newest first.
SELECT principal, kind, old_role, new_role, changed_by, changed_at FROM role_grant_changes ORDER BY changed_at DESC
