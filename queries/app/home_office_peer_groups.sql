-- A force's most similar forces, when a sourced grouping was supplied (data/home_office/most_similar_groups.csv).
SELECT peer, source FROM home_office_peer_groups WHERE area = $force ORDER BY peer
