SELECT
    COUNT(*) FILTER (WHERE change = 'new') AS added,
    COUNT(*) FILTER (WHERE change = 'changed') AS replaced,
    COUNT(*) FILTER (WHERE change = 'unchanged') AS unchanged
FROM incoming_classified
