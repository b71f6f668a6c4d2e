-- The fleet's event log narrowed to one container (io.hawser.console.events.FleetEvents): by the name every container
-- event carries, or by id and id prefix (text_pattern_ops serves LIKE 'abc%' whatever the database's collation).
-- Host, type and time ranges are served by fleet_events_time_idx and fleet_events_host_time_idx (V3); the retention
-- delete (time < cutoff) by fleet_events_time_idx.
CREATE INDEX fleet_events_container_name_idx ON fleet_events ((attributes ->> 'name'), time DESC) WHERE type = 'container';
CREATE INDEX fleet_events_container_id_idx ON fleet_events (actor_id text_pattern_ops) WHERE type = 'container';
