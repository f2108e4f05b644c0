-- Take a principal's grant away: they are a viewer again when signed in.
DELETE FROM role_grants WHERE principal = $principal AND kind = $kind
