-- Every role grant, for resolving a signed-in user's role and for the roles editor.
SELECT principal, kind, role, granted_by, granted_at FROM role_grants ORDER BY kind, principal
