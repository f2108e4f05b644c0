-- Give a principal (an e-mail address or a group) a role, replacing any it had.
INSERT OR REPLACE INTO role_grants (principal, kind, role, granted_by, granted_at)
VALUES ($principal, $kind, $role, $changed_by, now())
