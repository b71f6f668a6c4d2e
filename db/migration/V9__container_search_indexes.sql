-- The fleet list's free-text search and substring filters (ILIKE '%...%') at 10,000 containers (bench/fleet.sh).
-- Four ILIKEs a row, one of them over labels cast to text, made a sequential scan cost 50-100 ms; the search now
-- reads one precomputed lower-case column (its parts joined by a unit separator, so a match never spans two
-- fields), with a trigram index PostgreSQL can use when the term is selective. pg_trgm ships with PostgreSQL
-- (contrib); an external database needs it available.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE containers ADD COLUMN search_text text GENERATED ALWAYS AS (
    lower(coalesce(name, '') || chr(31) || coalesce(image, '') || chr(31) || coalesce(command, '') || chr(31)
          || coalesce(labels::text, ''))) STORED;
CREATE INDEX containers_search_trgm_idx ON containers USING gin (search_text gin_trgm_ops);
CREATE INDEX containers_name_trgm_idx ON containers USING gin (name gin_trgm_ops);
CREATE INDEX containers_image_trgm_idx ON containers USING gin (image gin_trgm_ops);
