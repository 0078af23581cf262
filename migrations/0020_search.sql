-- Search that works for every script (issue 22). An idea is indexed in every
-- language of its process, not only the first; Latin words written against
-- Chinese or Japanese characters ("推動AI治理") become words of their own; the
-- pairs of characters of Chinese, Japanese and Korean weigh as much as the
-- words of the title or body they come from, so a title match ranks first;
-- and the languages PostgreSQL has a stemmer for since version 13 (Arabic
-- among them) get an accent-blind configuration like the others.
-- internal/idea/search.go turns queries into the same words.
--
-- pg_trgm is not used: with the C locale the embedded cluster runs in, it
-- counts only ASCII letters and digits, so show_trgm('公車站') is empty.

DO $$
DECLARE
    lang text;
BEGIN
    FOREACH lang IN ARRAY ARRAY['arabic', 'armenian', 'basque', 'catalan', 'greek', 'hindi', 'indonesian', 'irish',
                                'lithuanian', 'nepali', 'serbian', 'tamil', 'yiddish'] LOOP
        EXECUTE format('CREATE TEXT SEARCH CONFIGURATION cocreate_%s (COPY = pg_catalog.%s)', lang, lang);
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION cocreate_%s ALTER MAPPING FOR hword, hword_part, word
                        WITH unaccent, %s_stem', lang, lang);
    END LOOP;
END $$;

DROP INDEX ideas_search;
ALTER TABLE ideas DROP COLUMN search;

-- cjk_bigrams now also pairs half-width katakana, Hangul compatibility jamo
-- and the Han extensions beyond the basic plane (names in Hong Kong and
-- Taiwan use them); internal/idea/search.go's isCJK has the same ranges.
CREATE OR REPLACE FUNCTION cjk_bigrams(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(string_agg(substr(m[1], i, 2), ' ' ORDER BY n, i), '')
      FROM regexp_matches(t, '([\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+)', 'g')
           WITH ORDINALITY AS r(m, n),
           generate_series(1, greatest(char_length(m[1]) - 1, 1)) AS i
$$;

-- cjk_spaced returns t with a space either side of each run of Chinese,
-- Japanese or Korean characters, so the words around a run are words.
CREATE FUNCTION cjk_spaced(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT regexp_replace(t, '([\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+)', ' \1 ', 'g')
$$;

-- search_vector is an idea's index: in each configuration of cfgs, its title
-- (weight A) and body (weight B) as words and as pairs of CJK characters.
CREATE FUNCTION search_vector(cfgs regconfig[], title text, body text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v tsvector := '';
    c regconfig;
BEGIN
    FOREACH c IN ARRAY cfgs LOOP
        v := v || setweight(to_tsvector(c, cjk_spaced(title) || ' ' || cjk_bigrams(title)), 'A')
               || setweight(to_tsvector(c, cjk_spaced(body) || ' ' || cjk_bigrams(body)), 'B');
    END LOOP;
    RETURN v;
END $$;

-- search_query is a web-search query q in any of the configurations cfgs:
-- their different queries joined by "or" (a query repeated would only mislead
-- the planner's estimate), or NULL when none has a word, which matches nothing.
CREATE FUNCTION search_query(cfgs regconfig[], q text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    r tsquery;
    x tsquery;
    seen tsquery[] := '{}';
    c regconfig;
BEGIN
    FOREACH c IN ARRAY cfgs LOOP
        x := websearch_to_tsquery(c, q);
        IF numnode(x) > 0 AND NOT x = ANY (seen) THEN
            seen := seen || x;
            r := CASE WHEN r IS NULL THEN x ELSE r || x END;
        END IF;
    END LOOP;
    RETURN r;
END $$;

-- language_config is the text search configuration of a language tag, as
-- internal/idea's languageConfig gives it (a test holds them equal).
CREATE FUNCTION language_config(tag text) RETURNS regconfig
    LANGUAGE sql STABLE PARALLEL SAFE STRICT AS $$
    SELECT CAST(CASE split_part(lower(tag), '-', 1)
        WHEN 'ar' THEN 'cocreate_arabic' WHEN 'hy' THEN 'cocreate_armenian' WHEN 'eu' THEN 'cocreate_basque'
        WHEN 'ca' THEN 'cocreate_catalan' WHEN 'el' THEN 'cocreate_greek' WHEN 'hi' THEN 'cocreate_hindi'
        WHEN 'id' THEN 'cocreate_indonesian' WHEN 'ga' THEN 'cocreate_irish' WHEN 'lt' THEN 'cocreate_lithuanian'
        WHEN 'ne' THEN 'cocreate_nepali' WHEN 'sr' THEN 'cocreate_serbian' WHEN 'ta' THEN 'cocreate_tamil'
        WHEN 'yi' THEN 'cocreate_yiddish' WHEN 'da' THEN 'cocreate_danish' WHEN 'nl' THEN 'cocreate_dutch'
        WHEN 'en' THEN 'cocreate_english' WHEN 'fi' THEN 'cocreate_finnish' WHEN 'fr' THEN 'cocreate_french'
        WHEN 'de' THEN 'cocreate_german' WHEN 'hu' THEN 'cocreate_hungarian' WHEN 'it' THEN 'cocreate_italian'
        WHEN 'no' THEN 'cocreate_norwegian' WHEN 'nb' THEN 'cocreate_norwegian' WHEN 'nn' THEN 'cocreate_norwegian'
        WHEN 'pt' THEN 'cocreate_portuguese' WHEN 'ro' THEN 'cocreate_romanian' WHEN 'ru' THEN 'cocreate_russian'
        WHEN 'es' THEN 'cocreate_spanish' WHEN 'sv' THEN 'cocreate_swedish' WHEN 'tr' THEN 'cocreate_turkish'
        ELSE 'cocreate_simple' END AS regconfig)
$$;

-- search_extra holds the configurations of the process's other languages
-- when the idea was written (search_config is the first language's). The
-- ideas already written get their process's languages now.
ALTER TABLE ideas ADD COLUMN search_extra regconfig[] NOT NULL DEFAULT '{}';
UPDATE ideas i SET search_extra = x.extra
  FROM (SELECT i2.id, array_remove(ARRAY(
            SELECT c FROM (SELECT language_config(l) AS c, min(n) AS n
                             FROM unnest(p.languages) WITH ORDINALITY AS u(l, n) GROUP BY 1) s ORDER BY n),
            i2.search_config) AS extra
          FROM ideas i2 JOIN processes p ON p.id = i2.process_id) x
 WHERE x.id = i.id AND cardinality(x.extra) > 0;
ALTER TABLE ideas ADD COLUMN search tsvector GENERATED ALWAYS AS (
    search_vector(search_config || search_extra, title, body)) STORED;
CREATE INDEX ideas_search ON ideas USING gin (search);
