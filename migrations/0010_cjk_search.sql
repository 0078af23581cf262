-- Search in languages written without spaces between words (Chinese,
-- Japanese, Korean): their text is indexed as overlapping pairs of characters,
-- so a search for a two-character word finds the ideas that contain it.
-- internal/idea/search.go makes the same pairs of a query.

-- cjk_bigrams returns every pair of neighbouring characters of each run of
-- Han, kana or Hangul in t, separated by spaces ('' when there is none); a run
-- of one character is kept as it is.
CREATE FUNCTION cjk_bigrams(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(substr(m[1], i, 2), ' ' ORDER BY n, i), '')
      FROM regexp_matches(t, '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)', 'g')
           WITH ORDINALITY AS r(m, n),
           generate_series(1, greatest(char_length(m[1]) - 1, 1)) AS i
$$;

DROP INDEX ideas_search;
ALTER TABLE ideas DROP COLUMN search;
ALTER TABLE ideas ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(search_config, title), 'A') ||
    setweight(to_tsvector(search_config, body), 'B') ||
    setweight(to_tsvector(search_config, cjk_bigrams(title || ' ' || body)), 'C')) STORED;
CREATE INDEX ideas_search ON ideas USING gin (search);
