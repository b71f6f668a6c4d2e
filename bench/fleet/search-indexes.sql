-- Candidate indexes for the fleet list's free-text search and image/name filters (ILIKE '%...%'), measured by
-- bash bench/fleet.sh --extra-sql bench/fleet/search-indexes.sql (bench/README.md). Trigram GIN indexes: one per
-- column the search ORs over, so PostgreSQL can BitmapOr them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS containers_name_trgm_idx ON containers USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS containers_image_trgm_idx ON containers USING gin (image gin_trgm_ops);
CREATE INDEX IF NOT EXISTS containers_command_trgm_idx ON containers USING gin (command gin_trgm_ops);
CREATE INDEX IF NOT EXISTS containers_labels_trgm_idx ON containers USING gin ((labels::text) gin_trgm_ops);
