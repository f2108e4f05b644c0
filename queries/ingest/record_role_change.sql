-- Audit a role change before it is made: the role it had (if any) and the one it gets (NULL: removed).
INSERT INTO role_grant_changes (principal, kind, old_role, new_role, changed_by, changed_at)
SELECT $principal, $kind, (SELECT role FROM role_grants WHERE principal = $principal AND kind = $kind),
       $role, $changed_by, now()
