-- Commands now number their events inside their own transaction (see Outbox), so the staging table goes.
-- Events a node committed to it but had not numbered yet are numbered here, in their order, with the
-- notifications they cause; they stay unpublished, so the first relay to run publishes them.
LOCK TABLE activity_feed IN EXCLUSIVE MODE;

CREATE TEMPORARY TABLE pending_events ON COMMIT DROP AS
SELECT (SELECT COALESCE(max(id), 0) FROM activity_feed) + row_number() OVER (ORDER BY seq) AS id, o.*
FROM event_outbox o;

INSERT INTO activity_feed (id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms,
                           created_at)
SELECT id, event_type, actor_id, actor_role, actor_name, target_type, target_id, data, rooms, occurred_at
FROM pending_events ORDER BY id;

INSERT INTO notifications (user_id, type, title, body, event_id)
SELECT (n ->> 'userId')::bigint, p.event_type, COALESCE(n ->> 'title', ''), COALESCE(n ->> 'body', ''), p.id
FROM pending_events p, jsonb_array_elements(p.notify) n
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = (n ->> 'userId')::bigint)
ORDER BY p.id;

DROP TABLE event_outbox;
