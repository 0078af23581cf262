-- What the importer left out of a version's text as page furniture (running
-- headers and footers, page numbers, contents and leader lines), with why and
-- how many times, so the owner's preview can show it later:
-- [{"text": "Engagement Plan", "reason": "running_line", "count": 12}, ...].
ALTER TABLE document_versions ADD COLUMN dropped jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(dropped) = 'array');
